namespace SalesforceJwt.Http;

/// <summary>Keys for <see cref="HttpRequestMessage.Options"/> that change how one request is authenticated.</summary>
public static class SalesforceHttpRequestOptions
{
    /// <summary>
    /// Gets the key of the username to act as for one request, instead of the connection's
    /// <see cref="SalesforceJwtOptions.Username"/>. The user must be pre-authorized for the app; tokens are cached per user.
    /// </summary>
    public static HttpRequestOptionsKey<string> Username { get; } = new("SalesforceJwt.Username");
}
