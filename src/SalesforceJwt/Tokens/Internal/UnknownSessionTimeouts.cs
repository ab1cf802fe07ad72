namespace SalesforceJwt.Tokens.Internal;

/// <summary>The answer when the token provider was replaced by one that does not track sessions: always unknown.</summary>
internal sealed class UnknownSessionTimeouts : ISalesforceSessionTimeoutEstimator
{
    public static readonly UnknownSessionTimeouts Instance = new();

    public SalesforceSessionTimeoutEstimate GetSessionTimeoutEstimate(string connectionName) =>
        SessionTimeoutEstimates.For(configured: null, sessions: null);
}
