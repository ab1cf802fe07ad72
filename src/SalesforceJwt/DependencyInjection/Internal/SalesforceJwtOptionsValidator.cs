using SalesforceJwt.Internal;
using Microsoft.Extensions.Options;
using SalesforceJwt.Assertions.Internal;
using SalesforceJwt.Tokens.Internal;
using Ranges = SalesforceJwt.DependencyInjection.Internal.SalesforceJwtOptionsRanges;

namespace SalesforceJwt.DependencyInjection.Internal;

/// <summary>Checks what attributes cannot: URLs, the audience against the login host, ranges, and that the key loads and can sign.</summary>
internal sealed class SalesforceJwtOptionsValidator : IValidateOptions<SalesforceJwtOptions>
{
    public ValidateOptionsResult Validate(string? name, SalesforceJwtOptions options)
    {
        var failures = new List<string>();
        var prefix = $"Salesforce connection '{name}': ";

        if (options.ConsumerKey is { } key && key.Length > 0 && key.Trim().Length != key.Length)
        {
            failures.Add(prefix + "ConsumerKey has leading or trailing spaces. Copy the consumer key again without them.");
        }

        if (options.Username is { } user && user.Length > 0 && user.Trim().Length != user.Length)
        {
            failures.Add(prefix + "Username has leading or trailing spaces.");
        }

        ValidateLoginUrl(options.LoginUrl, prefix, failures);
        ValidateAudience(options, prefix, failures);

        if (options.AssertionLifetime < Ranges.MinAssertionLifetime || options.AssertionLifetime > Ranges.MaxAssertionLifetime)
        {
            failures.Add(prefix + $"AssertionLifetime is {options.AssertionLifetime}; it must be {Ranges.Between(Ranges.MinAssertionLifetime, Ranges.MaxAssertionLifetime)}, Salesforce's documented window.");
        }

        if (options.SessionTimeout is { } timeout && (timeout < Ranges.MinSessionTimeout || timeout > Ranges.MaxSessionTimeout))
        {
            failures.Add(prefix + $"SessionTimeout is {timeout}; it must be {Ranges.Between(Ranges.MinSessionTimeout, Ranges.MaxSessionTimeout)} (Salesforce's values run from 15 minutes to 24 hours), or unset.");
        }

        CheckPause(options.ReauthenticationPause, nameof(SalesforceJwtOptions.ReauthenticationPause), prefix, failures);
        CheckPause(options.LoginRateLimitPause, nameof(SalesforceJwtOptions.LoginRateLimitPause), prefix, failures);

        if (options.TokenRequestTimeout < Ranges.MinTokenRequestTimeout || options.TokenRequestTimeout > Ranges.MaxTokenRequestTimeout)
        {
            failures.Add(prefix + $"TokenRequestTimeout is {options.TokenRequestTimeout}; it must be {Ranges.Between(Ranges.MinTokenRequestTimeout, Ranges.MaxTokenRequestTimeout)}.");
        }

        if (options.MaxLoginsPerHour is < Ranges.MinLoginsPerHour or > Ranges.MaxLoginsPerHour)
        {
            failures.Add(prefix + $"MaxLoginsPerHour is {options.MaxLoginsPerHour}; it must be {Ranges.Between(Ranges.MinLoginsPerHour, Ranges.MaxLoginsPerHour)} (Salesforce's own limit per user).");
        }

        if (options.MaxCachedUsers is < Ranges.MinCachedUsers or > Ranges.MaxCachedUsers)
        {
            failures.Add(prefix + $"MaxCachedUsers is {options.MaxCachedUsers}; it must be {Ranges.Between(Ranges.MinCachedUsers, Ranges.MaxCachedUsers)}.");
        }

        if (!SalesforceJwt.Rest.Internal.ApiNames.IsApiVersion(options.ApiVersion))
        {
            failures.Add(prefix + $"ApiVersion is '{options.ApiVersion}'; it must look like '{SalesforceJwtDefaults.ApiVersion}' (two or three digits, '.0'), without a leading 'v'.");
        }

        if (!(options.ApiUsageWarningThreshold > Ranges.ApiUsageWarningThresholdAbove && options.ApiUsageWarningThreshold <= Ranges.MaxApiUsageWarningThreshold))
        {
            failures.Add(prefix + $"ApiUsageWarningThreshold is {options.ApiUsageWarningThreshold}; it must be above {Ranges.ApiUsageWarningThresholdAbove} and at most {Ranges.MaxApiUsageWarningThreshold} (0.9 warns at 90% of the daily API allocation).");
        }

        if (options.CertificateExpiryWarning < Ranges.MinCertificateExpiryWarning || options.CertificateExpiryWarning > Ranges.MaxCertificateExpiryWarning)
        {
            failures.Add(prefix + $"CertificateExpiryWarning is {options.CertificateExpiryWarning}; it must be {Ranges.Between(Ranges.MinCertificateExpiryWarning, Ranges.MaxCertificateExpiryWarning)}.");
        }

        if (options.MaxReplayBufferBytes is < Ranges.MinReplayBufferBytes or > Ranges.MaxReplayBufferBytes)
        {
            failures.Add(prefix + $"MaxReplayBufferBytes is {options.MaxReplayBufferBytes}; it must be {Ranges.BetweenBytes(Ranges.MinReplayBufferBytes, Ranges.MaxReplayBufferBytes)}.");
        }

        try
        {
            SigningKeyLoader.Load(options).Dispose();
        }
        catch (SalesforceConfigurationException ex)
        {
            failures.Add(prefix + $"{ex.OptionName}: {ex.Message}");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckPause(TimeSpan pause, string name, string prefix, List<string> failures)
    {
        if (pause < Ranges.MinPause || pause > Ranges.MaxPause)
        {
            failures.Add(prefix + $"{name} is {pause}; it must be {Ranges.Between(Ranges.MinPause, Ranges.MaxPause)}.");
        }
    }

    private static void ValidateLoginUrl(Uri? loginUrl, string prefix, List<string> failures)
    {
        if (loginUrl is null || !loginUrl.IsAbsoluteUri)
        {
            failures.Add(prefix + "LoginUrl must be an absolute URL such as https://login.salesforce.com, https://test.salesforce.com or https://MyDomain.my.salesforce.com.");
            return;
        }

        // Plain http would carry the assertion in clear text; it is allowed only on this machine, for fakes in tests.
        if (loginUrl.Scheme != Uri.UriSchemeHttps && !(loginUrl.Scheme == Uri.UriSchemeHttp && loginUrl.IsLoopback))
        {
            failures.Add(prefix + $"LoginUrl '{loginUrl}' must use https. Salesforce accepts token requests only over https.");
        }

        if (!string.IsNullOrEmpty(loginUrl.Query) || !string.IsNullOrEmpty(loginUrl.Fragment))
        {
            failures.Add(prefix + $"LoginUrl '{loginUrl}' must not have a query or fragment; give the host only, e.g. https://login.salesforce.com.");
        }

        if (loginUrl.AbsolutePath.Contains("/services/oauth2", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add(prefix + $"LoginUrl '{loginUrl}' must be the host, without /services/oauth2/token; the path is added for you.");
        }
    }

    private static void ValidateAudience(SalesforceJwtOptions options, string prefix, List<string> failures)
    {
        if (options.Audience is not { } audience || string.IsNullOrWhiteSpace(audience))
        {
            return;
        }

        if (!Uri.TryCreate(audience, UriKind.Absolute, out var audienceUri))
        {
            failures.Add(prefix + $"Audience '{audience}' must be an absolute URL such as https://login.salesforce.com.");
            return;
        }

        if (audience.EndsWith('/'))
        {
            failures.Add(prefix + $"Audience '{audience}' ends with '/'; Salesforce compares it exactly and rejects the slash (audience is invalid). Remove it.");
        }

        if (options.LoginUrl is not { IsAbsoluteUri: true } loginUrl)
        {
            return;
        }

        var loginIsSandbox = IsHost(loginUrl, SalesforceJwtDefaults.SandboxLoginUrl) || AudienceChoice.IsSandboxMyDomain(loginUrl.Host);
        var loginIsProduction = IsHost(loginUrl, SalesforceJwtDefaults.ProductionLoginUrl)
            || (AudienceChoice.IsMyDomain(loginUrl.Host) && !AudienceChoice.IsSandboxMyDomain(loginUrl.Host));
        if (loginIsSandbox && IsHost(audienceUri, SalesforceJwtDefaults.ProductionLoginUrl))
        {
            failures.Add(prefix + $"LoginUrl '{loginUrl}' is a sandbox host but Audience is the production host. Set Audience to https://test.salesforce.com (or remove it to use the default).");
        }
        else if (loginIsProduction && IsHost(audienceUri, SalesforceJwtDefaults.SandboxLoginUrl))
        {
            failures.Add(prefix + $"LoginUrl '{loginUrl}' is a production host but Audience is the sandbox host. Set Audience to https://login.salesforce.com (or remove it to use the default). Developer Edition orgs are production orgs.");
        }
    }

    private static bool IsHost(Uri uri, Uri host) => string.Equals(uri.Host, host.Host, StringComparison.OrdinalIgnoreCase);
}
