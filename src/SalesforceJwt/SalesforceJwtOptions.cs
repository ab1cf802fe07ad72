using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SalesforceJwt;

/// <summary>
/// Settings of one Salesforce connection: the connected app, the integration user, the hosts and the signing key.
/// Bound from a configuration section (keys named as the properties) or set in code.
/// </summary>
public sealed class SalesforceJwtOptions
{
    /// <summary>Gets or sets the connected app's consumer key (OAuth client id), sent as the JWT <c>iss</c> claim.</summary>
    /// <value>Required. No default.</value>
    [Required(ErrorMessage = "ConsumerKey is required: set it to the connected app's consumer key (Setup > App Manager > View > Consumer Key).")]
    public string? ConsumerKey { get; set; }

    /// <summary>Gets or sets the Salesforce username to act as, sent as the JWT <c>sub</c> claim.</summary>
    /// <value>Required. The exact username, including any sandbox suffix such as <c>user@example.com.uat</c>.</value>
    [Required(ErrorMessage = "Username is required: set it to the integration user's exact Salesforce username, including any sandbox suffix.")]
    public string? Username { get; set; }

    /// <summary>Gets or sets the host that receives token requests at <c>/services/oauth2/token</c>.</summary>
    /// <value>
    /// Defaults to <c>https://login.salesforce.com</c>. Use <c>https://test.salesforce.com</c> for sandboxes, or the org's
    /// My Domain URL. Must be an absolute <c>https</c> URL.
    /// </value>
    public Uri LoginUrl { get; set; } = SalesforceJwtDefaults.ProductionLoginUrl;

    /// <summary>Gets or sets the JWT <c>aud</c> claim.</summary>
    /// <value>
    /// Defaults to <see langword="null"/>: the login URL itself for <c>login.salesforce.com</c>, <c>test.salesforce.com</c>,
    /// Experience Cloud and custom hosts; <c>https://login.salesforce.com</c> for a production My Domain; and
    /// <c>https://test.salesforce.com</c> for a sandbox My Domain. When the default is used and Salesforce answers
    /// <c>audience is invalid</c> or <c>app_not_found</c>, one alternative is tried once and kept if it works: the My Domain
    /// URL for a My Domain, <c>https://login.salesforce.com</c> for a custom host.
    /// Set it explicitly for an Experience Cloud site; an explicit value is never replaced.
    /// </value>
    public string? Audience { get; set; }

    /// <summary>Gets or sets the path of the private key: a PEM file (PKCS#1, PKCS#8 or encrypted PKCS#8) or a PKCS#12 (.pfx/.p12) file.</summary>
    /// <value>Defaults to <see langword="null"/>. Exactly one key source must be set.</value>
    public string? PrivateKeyPath { get; set; }

    /// <summary>Gets or sets the password of an encrypted PEM or PKCS#12 key file.</summary>
    /// <value>Defaults to <see langword="null"/> (no password).</value>
    public string? PrivateKeyPassword { get; set; }

    /// <summary>
    /// Gets or sets the path of the certificate uploaded to the connected app (PEM or DER). Optional: when set, start-up
    /// checks that the private key matches it, and a warning is logged when it is expired or within <see cref="CertificateExpiryWarning"/> of expiring.
    /// </summary>
    /// <value>Defaults to <see langword="null"/>.</value>
    public string? CertificatePath { get; set; }

    /// <summary>Gets or sets the thumbprint of a certificate with its private key in the CurrentUser or LocalMachine "My" store.</summary>
    /// <value>Defaults to <see langword="null"/>. Exactly one key source must be set.</value>
    public string? CertificateThumbprint { get; set; }

    /// <summary>Gets or sets a certificate that holds the RSA private key. The caller keeps ownership.</summary>
    /// <value>Defaults to <see langword="null"/>. Exactly one key source must be set. Code only; not bound from configuration.</value>
    public X509Certificate2? Certificate { get; set; }

    /// <summary>Gets or sets the RSA private key. The caller keeps ownership and must not dispose it while the connection is in use.</summary>
    /// <value>Defaults to <see langword="null"/>. Exactly one key source must be set. Code only; not bound from configuration.</value>
    public RSA? PrivateKey { get; set; }

    /// <summary>
    /// Gets or sets a signer that signs assertions with a key kept outside the process (Azure Key Vault, AWS KMS, an HSM).
    /// When <see cref="CertificatePath"/> is also set, every signature is checked against that certificate before it is
    /// sent, so a signer using the wrong key fails with a <see cref="SalesforceConfigurationException"/> instead of
    /// Salesforce's "invalid assertion".
    /// </summary>
    /// <value>Defaults to <see langword="null"/>. Exactly one key source must be set. Code only; not bound from configuration.</value>
    public ISalesforceAssertionSigner? Signer { get; set; }

    /// <summary>Gets or sets how long a signed assertion may be exchanged (the distance from now to the JWT <c>exp</c> claim).</summary>
    /// <value>Defaults to 2 minutes. Allowed: 30 seconds to 3 minutes, Salesforce's documented window.</value>
    public TimeSpan AssertionLifetime { get; set; } = SalesforceJwtDefaults.AssertionLifetime;

    /// <summary>
    /// Gets or sets the session idle timeout of the connected app (or of the profile or org, when the app sets none).
    /// When set, the token is renewed shortly before the session would end by Salesforce's rules (activity extends it
    /// once more than half the timeout has passed), so steady callers never see a 401.
    /// </summary>
    /// <value>Defaults to <see langword="null"/>: renew only when Salesforce reports the session ended. Allowed: 1 minute to 24 hours.</value>
    public TimeSpan? SessionTimeout { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether each login reads its session's timeout from Salesforce
    /// (<c>NumSecondsValid</c> of the current <c>AuthSession</c>, one query on the token's instance). It needs the
    /// <i>Manage Users</i> permission; without it the answer is a refusal, logged once, and the timeout is learned from
    /// how sessions end instead. A configured <see cref="SessionTimeout"/> wins over both.
    /// </summary>
    /// <value>Defaults to <see langword="false"/>: no extra request; the timeout is learned.</value>
    public bool ReadSessionTimeout { get; set; }

    /// <summary>
    /// Gets or sets how long re-authentication pauses after Salesforce rejects a token it has just issued, so that a
    /// misconfiguration cannot burn the 3,600-logins-per-hour budget. Callers get a typed error meanwhile.
    /// </summary>
    /// <value>Defaults to 1 minute. Allowed: 0 to 1 hour.</value>
    public TimeSpan ReauthenticationPause { get; set; } = SalesforceJwtDefaults.ReauthenticationPause;

    /// <summary>Gets or sets how long token requests pause after Salesforce answers <c>login rate exceeded</c>; callers fail fast meanwhile.</summary>
    /// <value>Defaults to 5 minutes. Allowed: 0 to 1 hour.</value>
    public TimeSpan LoginRateLimitPause { get; set; } = SalesforceJwtDefaults.LoginRateLimitPause;

    /// <summary>
    /// Gets or sets how long one token exchange may take in all: signing the assertion, every retry of the token endpoint,
    /// and reading the answer's headers and body. Callers waiting on the exchange get a
    /// <see cref="SalesforceTokenEndpointException"/> when it runs out.
    /// </summary>
    /// <value>Defaults to 30 seconds. Allowed: 1 second to 5 minutes.</value>
    public TimeSpan TokenRequestTimeout { get; set; } = SalesforceJwtDefaults.TokenRequestTimeout;

    /// <summary>
    /// Gets or sets how many logins (token exchanges) one user of this connection may make in any rolling hour. Past it,
    /// re-authentication pauses with a <see cref="SalesforceReauthenticationPausedException"/> until the oldest login
    /// leaves the window, so a fault that defeats every new token cannot spend Salesforce's 3,600 logins per user per hour.
    /// </summary>
    /// <value>Defaults to 120. Allowed: 1 to 3,600.</value>
    public int MaxLoginsPerHour { get; set; } = SalesforceJwtDefaults.MaxLoginsPerHour;

    /// <summary>
    /// Gets or sets how many users' tokens one connection keeps (users named per request with
    /// <c>SalesforceHttpRequestOptions.Username</c> each have one). Past it, the least recently used are dropped; a user
    /// unused for twice <see cref="SessionTimeout"/> (or a day when it is unset) is dropped anyway.
    /// </summary>
    /// <value>Defaults to 10,000. Allowed: 1 to 1,000,000.</value>
    public int MaxCachedUsers { get; set; } = SalesforceJwtDefaults.MaxCachedUsers;

    /// <summary>
    /// Gets or sets how long before the certificate expires a warning is logged (at start-up and once a day) and the
    /// health check reports Degraded. The certificate comes from <see cref="CertificatePath"/>, a PKCS#12 file, the
    /// store or <see cref="Certificate"/>; with <see cref="PrivateKey"/> or a PEM key alone its expiry cannot be known.
    /// </summary>
    /// <value>Defaults to 30 days. Allowed: 0 (warn only once expired) to 365 days.</value>
    public TimeSpan CertificateExpiryWarning { get; set; } = SalesforceJwtDefaults.CertificateExpiryWarning;

    /// <summary>
    /// Gets or sets a value indicating whether the host obtains this connection's first token while it starts, before the
    /// app takes traffic. A failure is logged and reported by the health check; it does not stop the host.
    /// </summary>
    /// <value>Defaults to <see langword="false"/>: the first request logs in.</value>
    public bool WarmUpOnStart { get; set; }

    /// <summary>Gets or sets the largest request body that is buffered so that it can be replayed after re-authentication.</summary>
    /// <value>Defaults to 1 MiB. Allowed: 0 (never buffer a non-repeatable body) to 100 MiB.</value>
    public long MaxReplayBufferBytes { get; set; } = SalesforceJwtDefaults.MaxReplayBufferBytes;

    /// <summary>
    /// Gets or sets the REST API version the helpers in <c>SalesforceJwt.Rest</c> call, such as <c>62.0</c>
    /// (in <c>services/data/v62.0/...</c>). Helpers called on this connection's <see cref="HttpClient"/> use it.
    /// </summary>
    /// <value>Defaults to <see cref="SalesforceJwtDefaults.ApiVersion"/>. Allowed: two or three digits, a dot and <c>0</c>.</value>
    public string ApiVersion { get; set; } = SalesforceJwtDefaults.ApiVersion;

    /// <summary>
    /// Gets or sets the share of the org's daily API allocation (from the <c>Sforce-Limit-Info</c> header of each
    /// response) above which one warning is logged; another follows only after usage has dropped below it again.
    /// </summary>
    /// <value>Defaults to 0.9 (90%). Allowed: above 0 up to 1.</value>
    public double ApiUsageWarningThreshold { get; set; } = SalesforceJwtDefaults.ApiUsageWarningThreshold;
}
