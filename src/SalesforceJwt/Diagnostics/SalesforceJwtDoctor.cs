using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SalesforceJwt.Assertions.Internal;
using SalesforceJwt.Diagnostics.Internal;
using SalesforceJwt.Internal;
using SalesforceJwt.Tokens;
using SalesforceJwt.Tokens.Internal;

namespace SalesforceJwt.Diagnostics;

/// <summary>
/// Checks a Salesforce connection registered with <c>AddSalesforceJwt</c> and says, for anything wrong, the cause and
/// the fix. The same checks back the <c>salesforce-jwt doctor</c> command and the health check.
/// </summary>
/// <remarks>
/// Every request that carries a token goes through the connection's own token provider (its cache and single flight)
/// and the <see cref="HttpClient"/> named after the connection, so the doctor follows the same rules as the app and
/// costs at most one login. No token, assertion, key or password appears in a report.
/// </remarks>
public static class SalesforceJwtDoctor
{
    private const string ApiVersion = "v62.0";
    private static readonly TimeSpan s_skewWarning = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_skewFailure = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Runs every check: options, key, certificate, certificate expiry, audience, token endpoint, clock, login, an API
    /// call (<c>GET services/data/v62.0/limits</c>) and identity (<c>GET services/oauth2/userinfo</c>). The login is the
    /// connection's cached token when it holds one, otherwise one token exchange.
    /// </summary>
    /// <param name="services">The app's services, where the connection is registered.</param>
    /// <param name="connectionName">The connection's name (<see cref="SalesforceJwtDefaults.ClientName"/> unless given to <c>AddSalesforceJwt</c>).</param>
    /// <param name="cancellationToken">Stops the checks.</param>
    /// <returns>The report; <see cref="SalesforceDoctorReport.Passed"/> says whether everything passed.</returns>
    public static async Task<SalesforceDoctorReport> RunAsync(IServiceProvider services, string connectionName, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(services);
        Guard.NotNullOrEmpty(connectionName);
        var checks = new List<SalesforceDoctorCheck>();
        var options = CheckConfiguration(services, connectionName, checks);
        if (options is null)
        {
            return Finish(connectionName, checks, "token endpoint", "clock", "login", "API call", "identity");
        }

        var skew = await CheckTokenEndpointAsync(services, options, checks, cancellationToken).ConfigureAwait(false);
        if (skew is null)
        {
            return Finish(connectionName, checks, "login", "API call", "identity");
        }

        var token = await CheckLoginAsync(services, connectionName, skew.Value, checks, cancellationToken).ConfigureAwait(false);
        if (token is null)
        {
            return Finish(connectionName, checks, "API call", "identity");
        }

        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient(connectionName);
        await CheckApiCallAsync(client, checks, cancellationToken).ConfigureAwait(false);
        await CheckIdentityAsync(client, options, checks, cancellationToken).ConfigureAwait(false);
        checks.Add(SessionTimeout(services, connectionName));
        return Finish(connectionName, checks);
    }

    /// <summary>How the connection knows when a session ends: configured, read at the login just made, learned, or not yet.</summary>
    private static SalesforceDoctorCheck SessionTimeout(IServiceProvider services, string connectionName)
    {
        var estimate = services.GetService<ISalesforceSessionTimeoutEstimator>()?.GetSessionTimeoutEstimate(connectionName);
        return estimate?.Timeout is null
            ? new("session timeout", SalesforceDoctorOutcome.Passed,
                "not known yet: the first session end (one 401, replayed) teaches it; set SessionTimeout, or ReadSessionTimeout with Manage Users, to renew ahead from the start")
            : new("session timeout", SalesforceDoctorOutcome.Passed, estimate.ToString());
    }

    /// <summary>
    /// Runs the checks that cost nothing beyond the app's own work, for health checks and probes: options, certificate
    /// expiry and login. The login is the cached token, or one exchange through the single flight every other caller
    /// shares, so probing never causes more than one login per session; while token requests are paused it fails fast.
    /// </summary>
    /// <param name="services">The app's services, where the connection is registered.</param>
    /// <param name="connectionName">The connection's name.</param>
    /// <param name="cancellationToken">Ends the wait for a token; an exchange other callers wait for goes on.</param>
    /// <returns>The report. A paused login or a certificate within its warning window is a <see cref="SalesforceDoctorOutcome.Warning"/>.</returns>
    public static async Task<SalesforceDoctorReport> ProbeAsync(IServiceProvider services, string connectionName, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(services);
        Guard.NotNullOrEmpty(connectionName);
        var checks = new List<SalesforceDoctorCheck>();
        SalesforceJwtOptions options;
        try
        {
            options = services.GetRequiredService<IOptionsMonitor<SalesforceJwtOptions>>().Get(connectionName);
        }
        catch (OptionsValidationException ex)
        {
            checks.Add(new("options", SalesforceDoctorOutcome.Failed, string.Join(" ", ex.Failures), "Correct the settings named above.", SalesforceErrorCode.InvalidSigningKey));
            return Finish(connectionName, checks, "certificate expiry", "login");
        }

        checks.Add(new("options", SalesforceDoctorOutcome.Passed, $"user {options.Username}, login host {Origin(options.LoginUrl)}"));
        var now = services.GetService<TimeProvider>()?.GetUtcNow() ?? TimeProvider.System.GetUtcNow();
        try
        {
            var monitor = services.GetService<CertificateExpiryMonitor>();
            var status = monitor is not null ? monitor.GetStatus(connectionName) : LoadStatus(connectionName, options);
            checks.Add(CertificateExpiry(status, options.CertificateExpiryWarning, now));
        }
        catch (SalesforceConfigurationException ex)
        {
            checks.Add(new("certificate expiry", SalesforceDoctorOutcome.Failed, ex.Message, $"Fix {ex.OptionName}.", ex.Code));
        }

        try
        {
            var token = await services.GetRequiredService<ISalesforceTokenProvider>().GetTokenAsync(connectionName, cancellationToken: cancellationToken).ConfigureAwait(false);
            checks.Add(new("login", SalesforceDoctorOutcome.Passed, DescribeToken(token)));
        }
        catch (SalesforceReauthenticationPausedException ex)
        {
            checks.Add(new("login", SalesforceDoctorOutcome.Warning, ex.Message,
                $"Token requests resume at {ex.PausedUntil.ToString("u", CultureInfo.InvariantCulture)}. {Hint(ex.InnerException) ?? "See the logs for the cause."}", ex.Code));
        }
        catch (SalesforceJwtException ex)
        {
            checks.Add(LoginFailure(ex));
        }

        return Finish(connectionName, checks);
    }

    private static SalesforceJwtOptions? CheckConfiguration(IServiceProvider services, string connectionName, List<SalesforceDoctorCheck> checks)
    {
        // The options as configured, unvalidated, so that each problem is reported under its own check.
        var options = new OptionsFactory<SalesforceJwtOptions>(
            services.GetServices<IConfigureOptions<SalesforceJwtOptions>>(),
            services.GetServices<IPostConfigureOptions<SalesforceJwtOptions>>()).Create(connectionName);

        SigningKey? key = null;
        SalesforceConfigurationException? keyError = null;
        try
        {
            key = SigningKeyLoader.Load(options);
        }
        catch (SalesforceConfigurationException ex)
        {
            keyError = ex;
        }

        using (key)
        {
            var failures = services.GetServices<IValidateOptions<SalesforceJwtOptions>>()
                .Select(v => v.Validate(connectionName, options))
                .Where(r => r.Failed)
                .SelectMany(r => r.Failures ?? [])
                .Where(f => keyError is null || !f.Contains(keyError.Message, StringComparison.Ordinal))
                .ToList();
            checks.Add(failures.Count == 0
                ? new("options", SalesforceDoctorOutcome.Passed, $"consumer key {Mask(options.ConsumerKey)}, user {options.Username}, login host {Origin(options.LoginUrl)}")
                : new("options", SalesforceDoctorOutcome.Failed, string.Join(" ", failures), "Correct the settings named above.", SalesforceErrorCode.InvalidSigningKey));

            var mismatch = keyError is { OptionName: nameof(SalesforceJwtOptions.CertificatePath) };
            if (keyError is not null && !mismatch)
            {
                checks.Add(new("key", SalesforceDoctorOutcome.Failed, keyError.Message, $"Fix {keyError.OptionName}.", keyError.Code));
            }
            else if (keyError is not null || key is not null)
            {
                var source = SigningKeyLoader.KeySourcesSet(options) is [var only] ? only : "?";
                checks.Add(new("key", SalesforceDoctorOutcome.Passed, $"RSA {(key?.Rsa.KeySize ?? 0) switch { 0 => "", var bits => $"{bits}-bit " }}key from {source}; it signs"));
            }

            if (mismatch)
            {
                checks.Add(new("certificate", SalesforceDoctorOutcome.Failed, keyError!.Message, "Use the key the uploaded certificate was made from, or upload a certificate made from this key.", keyError.Code));
                checks.Add(Skipped("certificate expiry", "the certificate does not match the key"));
            }
            else if (key is not null)
            {
                var status = CertificateStatus.From(connectionName, options, key);
                checks.Add(status.HasCertificate
                    ? new("certificate", SalesforceDoctorOutcome.Passed, $"{status.Subject}, thumbprint {status.Thumbprint}; it belongs to the key")
                    : new("certificate", SalesforceDoctorOutcome.Skipped, "no certificate is configured, so neither that it matches the uploaded one nor when it expires can be checked",
                        "Set CertificatePath to the certificate uploaded to the connected app."));
                var now = services.GetService<TimeProvider>()?.GetUtcNow() ?? TimeProvider.System.GetUtcNow();
                checks.Add(CertificateExpiry(status, options.CertificateExpiryWarning, now));
            }
            else
            {
                checks.Add(Skipped("certificate", "the key did not load"));
                checks.Add(Skipped("certificate expiry", "the key did not load"));
            }

            if (failures.Count > 0 || keyError is not null)
            {
                checks.Add(Skipped("audience", "the configuration is not valid"));
                return null;
            }
        }

        var (audience, fallback) = AudienceChoice.For(options);
        checks.Add(new("audience", SalesforceDoctorOutcome.Passed,
            $"aud {audience}" + (options.Audience is null ? " (the default for this login host" + (fallback is null ? ")" : $"; {fallback} is tried once if Salesforce rejects it)") : " (set in Audience)")));
        return options;
    }

    private static SalesforceDoctorCheck CertificateExpiry(CertificateStatus status, TimeSpan window, DateTimeOffset now)
    {
        if (status.NotAfter is not { } notAfter)
        {
            return new("certificate expiry", SalesforceDoctorOutcome.Skipped, "only a private key is configured, so the certificate's expiry cannot be checked",
                "Set CertificatePath to the certificate uploaded to the connected app.");
        }

        var date = notAfter.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var days = status.DaysLeft(now);
        if (notAfter <= now)
        {
            return new("certificate expiry", SalesforceDoctorOutcome.Warning,
                $"the certificate expired on {date}, {-days} days ago. Salesforce still accepts its key today, but rotation is due",
                $"Make a new key and certificate, upload the certificate to the connected app, then switch the key: {ProjectLinks.CertificateRotation}", SalesforceErrorCode.InvalidSigningKey);
        }

        return notAfter - now <= window
            ? new("certificate expiry", SalesforceDoctorOutcome.Warning, $"the certificate expires on {date}, in {days} days",
                $"Rotate the key and certificate before then: {ProjectLinks.CertificateRotation}", SalesforceErrorCode.InvalidSigningKey)
            : new("certificate expiry", SalesforceDoctorOutcome.Passed, $"expires on {date}, in {days} days");
    }

    /// <summary>
    /// An empty request to the token endpoint: Salesforce answers with an OAuth error, which costs no login and shows the
    /// host is right (docs/salesforce-behaviour.md#a-token-request-without-a-grant-gets-an-oauth-error-and-costs-no-login).
    /// </summary>
    private static async Task<TimeSpan?> CheckTokenEndpointAsync(IServiceProvider services, SalesforceJwtOptions options, List<SalesforceDoctorCheck> checks, CancellationToken cancellationToken)
    {
        var clock = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var endpoint = SalesforceTokenClient.TokenEndpoint(options.LoginUrl);
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient(SalesforceJwtDefaults.TokenClientName);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var content = new FormUrlEncodedContent([]);
            using var response = await client.PostAsync(endpoint, content, cancellationToken).ConfigureAwait(false);
            var elapsed = TimeSpan.FromSeconds((Stopwatch.GetTimestamp() - started) / (double)Stopwatch.Frequency);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var error = OAuthError(body);
            if (error is null)
            {
                checks.Add(new("token endpoint", SalesforceDoctorOutcome.Failed,
                    $"{endpoint} answered {(int)response.StatusCode} without an OAuth error, so it is not a Salesforce token endpoint",
                    "Set LoginUrl to https://login.salesforce.com, https://test.salesforce.com or the org's My Domain URL, without a path."));
                return null;
            }

            checks.Add(new("token endpoint", SalesforceDoctorOutcome.Passed,
                $"{endpoint} answered an empty request with {(int)response.StatusCode} {error} in {Duration(elapsed)} (no login)"));
            if (response.Headers.Date is not { } serverTime)
            {
                checks.Add(new("clock", SalesforceDoctorOutcome.Skipped, "the login host sent no Date header, so clock skew could not be measured"));
                return TimeSpan.Zero;
            }

            var skew = clock.GetUtcNow() - serverTime - TimeSpan.FromTicks(elapsed.Ticks / 2);
            checks.Add(skew.Duration() > s_skewFailure
                ? new("clock", SalesforceDoctorOutcome.Failed, $"this machine's clock is {Describe(skew)} the login host's. Assertions expire 2 minutes after signing, so Salesforce would see them expired or early",
                    "Synchronise the clock with NTP.")
                : skew.Duration() > s_skewWarning
                    ? new("clock", SalesforceDoctorOutcome.Warning, $"this machine's clock is {Describe(skew)} the login host's", "Synchronise the clock with NTP.")
                    : new("clock", SalesforceDoctorOutcome.Passed, $"within {Math.Max(1, Math.Ceiling(skew.Duration().TotalSeconds)):0} s of the login host's"));
            return skew;
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            || ex.GetType().Name == "TimeoutRejectedException")
        {
            checks.Add(new("token endpoint", SalesforceDoctorOutcome.Failed, $"{endpoint} could not be reached ({ex.GetType().Name}: {ex.Message})",
                "Check LoginUrl, DNS, proxies and firewalls; configure a proxy on the HttpClient named " + SalesforceJwtDefaults.TokenClientName + "."));
            return null;
        }
    }

    private static async Task<SalesforceToken?> CheckLoginAsync(IServiceProvider services, string connectionName, TimeSpan skew, List<SalesforceDoctorCheck> checks, CancellationToken cancellationToken)
    {
        try
        {
            var token = await services.GetRequiredService<ISalesforceTokenProvider>().GetTokenAsync(connectionName, cancellationToken: cancellationToken).ConfigureAwait(false);
            checks.Add(new("login", SalesforceDoctorOutcome.Passed, DescribeToken(token)));
            return token;
        }
        catch (SalesforceJwtException ex)
        {
            var check = LoginFailure(ex);
            if (ex.Code == SalesforceErrorCode.AssertionExpired && skew.Duration() > s_skewWarning)
            {
                check = new(check.Name, check.Outcome, check.Detail + $". This machine's clock is {Describe(skew)} the login host's; that alone explains the expired assertion",
                    check.Fix, check.ErrorCode);
            }

            checks.Add(check);
            return null;
        }
    }

    private static async Task CheckApiCallAsync(HttpClient client, List<SalesforceDoctorCheck> checks, CancellationToken cancellationToken)
    {
        const string Path = "services/data/" + ApiVersion + "/limits";
        try
        {
            using var response = await client.GetAsync(Path, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            checks.Add(response.IsSuccessStatusCode
                ? new("API call", SalesforceDoctorOutcome.Passed, $"GET {Path} -> {(int)response.StatusCode}{DailyRequests(body)}")
                : new("API call", SalesforceDoctorOutcome.Failed, $"GET {Path} -> {(int)response.StatusCode}: {SafeExcerpt.From(body)}", ApiHint(body)));
        }
        catch (SalesforceJwtException ex)
        {
            checks.Add(new("API call", SalesforceDoctorOutcome.Failed, $"{ex.Code}: {ex.Message}", Hint(ex), ex.Code));
        }
        catch (HttpRequestException ex)
        {
            checks.Add(new("API call", SalesforceDoctorOutcome.Failed, $"the instance could not be reached: {ex.Message}", "Check DNS, proxies and firewalls for the instance host."));
        }
    }

    private static async Task CheckIdentityAsync(HttpClient client, SalesforceJwtOptions options, List<SalesforceDoctorCheck> checks, CancellationToken cancellationToken)
    {
        const string Path = "services/oauth2/userinfo";
        try
        {
            using var response = await client.GetAsync(Path, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                // The scope userinfo needs is not documented for this flow; an app with only "api" may be refused.
                checks.Add(new("identity", SalesforceDoctorOutcome.Warning, $"GET {Path} -> {(int)response.StatusCode}: {SafeExcerpt.From(body)}",
                    "Add the 'openid' or 'Access the identity URL service (id, profile, email, address, phone)' scope to the app to check the identity."));
                return;
            }

            var username = Property(body, "preferred_username") ?? Property(body, "username");
            checks.Add(string.Equals(username, options.Username, StringComparison.OrdinalIgnoreCase)
                ? new("identity", SalesforceDoctorOutcome.Passed, $"the token acts as {username}, user id {Property(body, "user_id")}")
                : new("identity", SalesforceDoctorOutcome.Warning, $"the token acts as {username ?? "an unnamed user"}, not {options.Username}",
                    "Check Username: Salesforce issued the token for another user."));
        }
        catch (Exception ex) when (ex is HttpRequestException or SalesforceJwtException)
        {
            checks.Add(new("identity", SalesforceDoctorOutcome.Warning, $"GET {Path} failed: {ex.Message}", null));
        }
    }

    private static CertificateStatus LoadStatus(string connectionName, SalesforceJwtOptions options)
    {
        using var key = SigningKeyLoader.Load(options);
        return CertificateStatus.From(connectionName, options, key);
    }

    private static SalesforceDoctorCheck LoginFailure(SalesforceJwtException ex) => ex is SalesforceAuthenticationException auth
        ? new("login", SalesforceDoctorOutcome.Failed,
            $"{ex.Code}: Salesforce answered {(int)auth.StatusCode} {auth.Error}" + (auth.ErrorDescription is null ? string.Empty : $": {auth.ErrorDescription}"), auth.Hint, ex.Code)
        : new("login", SalesforceDoctorOutcome.Failed, $"{ex.Code}: {ex.Message}", Hint(ex), ex.Code);

    private static string? Hint(Exception? ex) => ex switch
    {
        SalesforceAuthenticationException auth => auth.Hint,
        SalesforceConfigurationException config => $"Fix {config.OptionName}.",
        SalesforceJwtException { IsTransient: true } => "Salesforce or the network failed for now; it should pass on a later try.",
        _ => null,
    };

    private static string DescribeToken(SalesforceToken token) =>
        $"instance {Origin(token.InstanceUrl)}, org {token.OrganizationId}, user id {token.UserId}, scopes '{token.Scope}'";

    private static SalesforceDoctorReport Finish(string connectionName, List<SalesforceDoctorCheck> checks, params string[] skipped)
    {
        foreach (var name in skipped)
        {
            checks.Add(Skipped(name, "an earlier check failed"));
        }

        return new SalesforceDoctorReport(connectionName, checks);
    }

    private static SalesforceDoctorCheck Skipped(string name, string why) => new(name, SalesforceDoctorOutcome.Skipped, $"not run: {why}");

    private static string Origin(Uri uri) => uri.GetLeftPart(UriPartial.Authority);

    private static string Mask(string? value) => value is null || value.Length <= 8 ? "(set)" : value[..8] + "…";

    private static string Describe(TimeSpan skew) =>
        $"{Math.Abs(skew.TotalSeconds):0} s {(skew > TimeSpan.Zero ? "ahead of" : "behind")}";

    /// <summary>Milliseconds while short, seconds once longer.</summary>
    internal static string Duration(TimeSpan elapsed) =>
        elapsed < TimeSpan.FromSeconds(10)
            ? FormattableString.Invariant($"{elapsed.TotalMilliseconds:0} ms")
            : FormattableString.Invariant($"{elapsed.TotalSeconds:0.0} s");

    private static string? OAuthError(string body) => Property(body, "error");

    private static string? Property(string body, string name)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string DailyRequests(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var daily = json.RootElement.GetProperty("DailyApiRequests");
            return $": {daily.GetProperty("Remaining")} of {daily.GetProperty("Max")} daily API requests left";
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return string.Empty;
        }
    }

    private static string ApiHint(string body) =>
        body.Contains("not valid for use with the REST API", StringComparison.Ordinal)
            ? "The session is valid but the REST API refuses it: the profile requires High Assurance sessions, or API Access Control blocks the app."
            : body.Contains("API_DISABLED_FOR_ORG", StringComparison.Ordinal)
                ? "The org's edition has no API access, or the user lacks the 'API Enabled' permission."
                : "Check the user's permissions for this API.";
}
