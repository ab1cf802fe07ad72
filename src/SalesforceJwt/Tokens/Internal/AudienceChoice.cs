namespace SalesforceJwt.Tokens.Internal;

/// <summary>Decides the JWT <c>aud</c> from the options, and what to try once if Salesforce rejects it (docs/salesforce-behaviour.md#token-endpoint-and-audience).</summary>
internal readonly record struct AudienceChoice(string Primary, string? Fallback)
{
    public static AudienceChoice For(SalesforceJwtOptions options)
    {
        if (options.Audience is { } audience && !string.IsNullOrWhiteSpace(audience))
        {
            return new AudienceChoice(audience, null);
        }

        var loginUrl = options.LoginUrl;
        var origin = loginUrl.GetLeftPart(UriPartial.Authority);
        var host = loginUrl.Host;
        if (IsSandboxMyDomain(host))
        {
            return new AudienceChoice(SalesforceJwtDefaults.SandboxLoginUrl.GetLeftPart(UriPartial.Authority), origin);
        }

        if (IsMyDomain(host))
        {
            return new AudienceChoice(SalesforceJwtDefaults.ProductionLoginUrl.GetLeftPart(UriPartial.Authority), origin);
        }

        // login.salesforce.com, test.salesforce.com, an Experience Cloud site, or a custom host: the login URL itself.
        // A custom host (a proxy, a vanity domain) usually fronts a production org, so login is the one thing left to try.
        var own = loginUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return new AudienceChoice(own, IsSalesforceHost(host) ? null : SalesforceJwtDefaults.ProductionLoginUrl.GetLeftPart(UriPartial.Authority));
    }

    private static bool IsSalesforceHost(string host) =>
        host.EndsWith("salesforce.com", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith(".force.com", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith(".site.com", StringComparison.OrdinalIgnoreCase);

    public static bool IsMyDomain(string host) => host.EndsWith(".my.salesforce.com", StringComparison.OrdinalIgnoreCase);

    public static bool IsSandboxMyDomain(string host) => host.EndsWith(".sandbox.my.salesforce.com", StringComparison.OrdinalIgnoreCase);
}
