using System.Diagnostics.CodeAnalysis;

namespace SalesforceJwt.Tokens.Internal;

/// <summary>How the handler reads the library's own token provider's cache without waiting (what Salesforce says of a token goes to its <see cref="TokenState"/>).</summary>
internal interface ITokenUsage
{
    /// <summary>
    /// Gets the user's cached token when it can be handed out at <paramref name="now"/> with no wait and no other work;
    /// otherwise false, and the caller asks <see cref="ISalesforceTokenProvider.GetTokenAsync"/>. Lets the handler read
    /// the clock once per request (issue 12). For the connection's own user, a caller that kept the entry in
    /// <paramref name="own"/> asks it directly (<see cref="TokenEntry.TryGetFresh"/>) until it is retired.
    /// </summary>
    /// <param name="connectionName">The connection.</param>
    /// <param name="username">The user asked for per request, or <see langword="null"/> for the connection's own.</param>
    /// <param name="now">The time of the request.</param>
    /// <param name="own">
    /// The caller's slot for the connection's own user, set when <paramref name="username"/> is null: kept between calls
    /// so that the connection and user are not looked up on every request, and looked up again once the entry is
    /// retired (evicted, connection replaced, provider disposed).
    /// </param>
    /// <param name="token">The token, when true.</param>
    bool TryGetCachedToken(string connectionName, string? username, DateTimeOffset now, ref TokenEntry? own, [NotNullWhen(true)] out SalesforceToken? token);

    /// <summary>Whether Salesforce has accepted the token at least once.</summary>
    bool HasBeenAccepted(SalesforceToken token);
}
