namespace SalesforceJwt.Http;

/// <summary>Keys for <see cref="HttpRequestMessage.Options"/> that change how one request is authenticated.</summary>
public static class SalesforceHttpRequestOptions
{
    /// <summary>
    /// Gets the key of the username to act as for one request, instead of the connection's
    /// <see cref="SalesforceJwtOptions.Username"/>. The user must be pre-authorized for the app; tokens are cached per user.
    /// </summary>
    public static HttpRequestOptionsKey<string> Username { get; } = new("SalesforceJwt.Username");

    /// <summary>
    /// Gets the key under which the handler notes, on the request it was given, why a request whose session ended was
    /// not replayed. The caller then has the original response; the next request uses a new token.
    /// </summary>
    public static HttpRequestOptionsKey<SalesforceReplaySkipReason> ReplaySkipped { get; } = new("SalesforceJwt.ReplaySkipped");
}
