namespace SalesforceJwt.Tokens;

/// <summary>Gives out cached Salesforce tokens and runs the JWT bearer flow when there is none, one exchange at a time per connection and user.</summary>
public interface ISalesforceTokenProvider
{
    /// <summary>Gets a token for a connection, from the cache when it holds one.</summary>
    /// <param name="connectionName">The connection's name, as given to <c>AddSalesforceJwt</c> (<see cref="SalesforceJwtDefaults.ClientName"/> by default).</param>
    /// <param name="request">Another user, or a token Salesforce rejected; <see langword="null"/> for the connection's user.</param>
    /// <param name="cancellationToken">Ends this caller's wait only; an exchange other callers wait for goes on.</param>
    /// <returns>The token.</returns>
    /// <exception cref="SalesforceJwtException">The token could not be obtained; the exception says why and what to change.</exception>
    ValueTask<SalesforceToken> GetTokenAsync(string connectionName, SalesforceTokenRequest? request = null, CancellationToken cancellationToken = default);
}
