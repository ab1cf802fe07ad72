namespace SalesforceJwt.Tokens;

/// <summary>
/// Tells what the library knows of a connection's Salesforce session timeout: configured, read from Salesforce, or
/// learned from how its sessions ended. The library's own <see cref="ISalesforceTokenProvider"/> implements it.
/// </summary>
public interface ISalesforceSessionTimeoutEstimator
{
    /// <summary>Gets the connection's current session-timeout estimate.</summary>
    /// <param name="connectionName">The connection's name, as given to <c>AddSalesforceJwt</c>.</param>
    /// <returns>The estimate; <see cref="SalesforceSessionTimeoutSource.Unknown"/> for a connection not used yet or not registered.</returns>
    SalesforceSessionTimeoutEstimate GetSessionTimeoutEstimate(string connectionName);
}
