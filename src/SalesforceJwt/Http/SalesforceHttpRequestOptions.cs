namespace SalesforceJwt.Http;

/// <summary>Keys for per-request settings (<c>HttpRequestMessage.Options</c>; <c>Properties</c> on .NET Framework).</summary>
public static class SalesforceHttpRequestOptions
{
    /// <summary>The name of the per-request username option; see <c>Username</c>.</summary>
    public const string UsernameKey = "SalesforceJwt.Username";

    /// <summary>The name of the option that says why a request was not replayed; see <c>ReplaySkipped</c>.</summary>
    public const string ReplaySkippedKey = "SalesforceJwt.ReplaySkipped";

#if NET5_0_OR_GREATER
    /// <summary>
    /// Gets the key of the username to act as for one request, instead of the connection's
    /// <see cref="SalesforceJwtOptions.Username"/>. The user must be pre-authorized for the app; tokens are cached per user.
    /// On .NET Framework, set <c>request.Properties[UsernameKey]</c> instead.
    /// </summary>
    public static HttpRequestOptionsKey<string> Username { get; } = new(UsernameKey);

    /// <summary>
    /// Gets the key under which the handler notes, on the request it was given, why a request whose session ended was
    /// not replayed. The caller then has the original response; the next request uses a new token.
    /// On .NET Framework, read <c>request.Properties[ReplaySkippedKey]</c> instead.
    /// </summary>
    public static HttpRequestOptionsKey<SalesforceReplaySkipReason> ReplaySkipped { get; } = new(ReplaySkippedKey);
#endif
}
