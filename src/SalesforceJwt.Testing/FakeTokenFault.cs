namespace SalesforceJwt.Testing;

/// <summary>A failure the fake org's token endpoint can be told to produce instead of its normal answer.</summary>
public enum FakeTokenFault
{
    /// <summary>503 Service Unavailable with an HTML body.</summary>
    ServiceUnavailable,

    /// <summary>500 with Salesforce's HTML maintenance page.</summary>
    MaintenancePage,

    /// <summary>200 with a JSON body cut short.</summary>
    MalformedJson,

    /// <summary>200 with a JSON body that has no <c>access_token</c>.</summary>
    MissingAccessToken,

    /// <summary>The normal answer, after <see cref="FakeSalesforceOrg.InjectTokenFaults"/>'s delay on the org's clock.</summary>
    Delay,

    /// <summary>The connection closes without a response.</summary>
    DropConnection,

    /// <summary>429 Too Many Requests.</summary>
    TooManyRequests,
}
