namespace SalesforceJwt;

/// <summary>Names and default values used by SalesforceJwt.</summary>
public static class SalesforceJwtDefaults
{
    /// <summary>The name of the connection and of the <see cref="HttpClient"/> registered when no name is given.</summary>
    public const string ClientName = "Salesforce";

    /// <summary>The name of the <see cref="HttpClient"/> that posts assertions to the token endpoint. Configure it to add a proxy or logging.</summary>
    public const string TokenClientName = "SalesforceJwt.TokenEndpoint";

    /// <summary>The name of the <c>Meter</c> and <c>ActivitySource</c> of this library.</summary>
    public const string TelemetryName = "SalesforceJwt";

    /// <summary>The name of the library's <c>Meter</c>; subscribe to it with OpenTelemetry's <c>AddMeter</c>.</summary>
    public const string MeterName = TelemetryName;

    /// <summary>The name of the library's <c>ActivitySource</c>; subscribe to it with OpenTelemetry's <c>AddSource</c>.</summary>
    public const string ActivitySourceName = TelemetryName;

    /// <summary>The production login host.</summary>
    public static readonly Uri ProductionLoginUrl = new("https://login.salesforce.com");

    /// <summary>The sandbox login host.</summary>
    public static readonly Uri SandboxLoginUrl = new("https://test.salesforce.com");

    /// <summary>
    /// The base address given to Salesforce clients that have none. Requests to it are sent to the token's
    /// <c>instance_url</c>, so relative URIs such as <c>services/data/v62.0/limits</c> work. The <c>.invalid</c>
    /// top-level domain never resolves, so nothing leaves the machine if the handler is missing.
    /// </summary>
    // Written without the trailing '/': the same URI, but HttpClient joins a relative path to it with less work. The host
    // is shorter than any My Domain host ('{name}.my.salesforce.com'), so the URI HttpClient joins for every request is
    // never longer than one aimed at the instance itself (issue 12).
    public static readonly Uri InstanceBaseAddress = new("https://salesforce.invalid");

    /// <summary>The default distance from now to the assertion's <c>exp</c> claim.</summary>
    public static readonly TimeSpan AssertionLifetime = TimeSpan.FromMinutes(2);

    /// <summary>The default pause of re-authentication after Salesforce rejects a brand-new token.</summary>
    public static readonly TimeSpan ReauthenticationPause = TimeSpan.FromMinutes(1);

    /// <summary>The default pause of token requests after <c>login rate exceeded</c>.</summary>
    public static readonly TimeSpan LoginRateLimitPause = TimeSpan.FromMinutes(5);

    /// <summary>How long before a session's predicted end (at most a tenth of the timeout) or a JWT-format token's <c>exp</c> a new token is fetched.</summary>
    public static readonly TimeSpan ProactiveRefreshMargin = TimeSpan.FromMinutes(1);

    /// <summary>The default time budget of one whole token exchange (signing, retries, headers and body).</summary>
    public static readonly TimeSpan TokenRequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The default number of logins one user of a connection may make in any rolling hour.</summary>
    public const int MaxLoginsPerHour = 120;

    /// <summary>
    /// The youngest a token may be when it is renewed because its own expiry (a JWT-format token's <c>exp</c>, or the
    /// predicted session end) is near. A token that claims a shorter life costs at most one login per this interval.
    /// </summary>
    public static readonly TimeSpan MinimumRenewalAge = TimeSpan.FromMinutes(1);

    /// <summary>The default number of users whose tokens one connection keeps.</summary>
    public const int MaxCachedUsers = 10_000;

    /// <summary>The default warning window before a connection's certificate expires.</summary>
    public static readonly TimeSpan CertificateExpiryWarning = TimeSpan.FromDays(30);

    /// <summary>The default largest request body buffered for a replay.</summary>
    public const long MaxReplayBufferBytes = 1024 * 1024;

    /// <summary>The default REST API version of the helpers in <c>SalesforceJwt.Rest</c> (Winter '25).</summary>
    public const string ApiVersion = "62.0";

    /// <summary>The default share of the daily API allocation above which a warning is logged.</summary>
    public const double ApiUsageWarningThreshold = 0.9;
}
