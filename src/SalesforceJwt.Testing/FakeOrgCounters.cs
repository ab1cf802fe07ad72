namespace SalesforceJwt.Testing;

/// <summary>A snapshot of what a <see cref="FakeSalesforceOrg"/> has seen, for assertions.</summary>
public sealed class FakeOrgCounters
{
    internal FakeOrgCounters(
        int tokenRequests,
        int tokensIssued,
        IReadOnlyDictionary<string, int> tokenErrors,
        int tokenFaults,
        IReadOnlyDictionary<string, int> loginsByUser,
        int apiCalls,
        IReadOnlyDictionary<int, int> apiCallsByStatus,
        int sessionErrorsServed,
        int unauthorizedServed,
        int maxConcurrentTokenRequests,
        int malformedAuthorizationHeaders)
    {
        TokenRequests = tokenRequests;
        TokensIssued = tokensIssued;
        TokenErrors = tokenErrors;
        TokenFaults = tokenFaults;
        LoginsByUser = loginsByUser;
        ApiCalls = apiCalls;
        ApiCallsByStatus = apiCallsByStatus;
        SessionErrorsServed = sessionErrorsServed;
        UnauthorizedServed = unauthorizedServed;
        MaxConcurrentTokenRequests = maxConcurrentTokenRequests;
        MalformedAuthorizationHeaders = malformedAuthorizationHeaders;
    }

    /// <summary>Gets the number of requests to the token endpoint, whatever their outcome.</summary>
    public int TokenRequests { get; }

    /// <summary>Gets the number of tokens issued.</summary>
    public int TokensIssued { get; }

    /// <summary>Gets the OAuth errors answered, keyed by <c>error_description</c>.</summary>
    public IReadOnlyDictionary<string, int> TokenErrors { get; }

    /// <summary>Gets the number of token requests answered with an injected fault.</summary>
    public int TokenFaults { get; }

    /// <summary>Gets the logins (token exchanges that reached a user) per username, as Salesforce's Login History counts them.</summary>
    public IReadOnlyDictionary<string, int> LoginsByUser { get; }

    /// <summary>Gets the number of API requests (everything but the token and revoke endpoints).</summary>
    public int ApiCalls { get; }

    /// <summary>Gets the API requests per HTTP status answered.</summary>
    public IReadOnlyDictionary<int, int> ApiCallsByStatus { get; }

    /// <summary>Gets the number of expired-or-invalid-session answers served, in any API's shape.</summary>
    public int SessionErrorsServed { get; }

    /// <summary>Gets the number of 401 answers served.</summary>
    public int UnauthorizedServed { get; }

    /// <summary>Gets the highest number of token requests being handled at the same moment.</summary>
    public int MaxConcurrentTokenRequests { get; }

    /// <summary>Gets the number of API requests whose Authorization header was not <c>Bearer &lt;token&gt;</c> or <c>OAuth &lt;token&gt;</c>.</summary>
    public int MalformedAuthorizationHeaders { get; }
}
