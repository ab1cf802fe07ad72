namespace SalesforceJwt.Tokens;

/// <summary>What a caller of <see cref="ISalesforceTokenProvider"/> asks for beyond the connection's defaults.</summary>
public sealed class SalesforceTokenRequest
{
    /// <summary>Gets the username to act as instead of the connection's <see cref="SalesforceJwtOptions.Username"/>. The user must be pre-authorized for the app.</summary>
    public string? Username { get; init; }

    /// <summary>
    /// Gets a token that Salesforce just rejected. The provider returns a different token: the cached one if it was
    /// already replaced, otherwise a new one. Many callers rejecting the same token cause one token request.
    /// </summary>
    public SalesforceToken? RejectedToken { get; init; }
}
