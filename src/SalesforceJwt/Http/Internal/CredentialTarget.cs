using SalesforceJwt.Tokens;

namespace SalesforceJwt.Http.Internal;

/// <summary>
/// The one rule for where a credential may go: only to the scheme, host and port of the token's <c>instance_url</c>, or
/// of its identity URL for the identity and userinfo paths. URIs aimed at the instance are built here so that no path,
/// however it was written, can become an authority (see docs/security.md#where-a-token-may-go).
/// </summary>
internal static class CredentialTarget
{
    /// <summary>
    /// Returns the URI the request must be sent to with the token, or <see langword="null"/> when it is addressed to
    /// another origin and goes out without any credential.
    /// </summary>
    /// <param name="requested">The absolute URI the caller asked for.</param>
    /// <param name="token">The token that would be attached.</param>
    /// <param name="sessionOrigin">For a replay, the instance of the rejected token: requests to it move to the new instance.</param>
    /// <param name="built">URIs already built from the token's origin for the placeholder base address, if kept.</param>
    /// <param name="verified">
    /// The result when it was found in <paramref name="built"/>: built by this method from an origin equal to the
    /// token's and checked with <see cref="MayCarry"/> when it went in. A <see cref="Uri"/> is immutable, so the same
    /// instance needs no second check against the same origin.
    /// </param>
    public static Uri? Resolve(Uri requested, SalesforceToken token, Uri? sessionOrigin, RebasedUris? built, out Uri? verified)
    {
        verified = null;
        if (!requested.IsAbsoluteUri)
        {
            return null;
        }

        if (built?.Find(requested, token.InstanceOrigin) is { } known)
        {
            verified = known;
            return known;
        }

        var onPlaceholder = SameOrigin(requested, SalesforceJwtDefaults.InstanceBaseAddress);
        if (onPlaceholder || (sessionOrigin is not null && SameOrigin(requested, sessionOrigin)))
        {
            var target = Rebase(token, requested);
            if (onPlaceholder && built is not null && MayCarry(target, token))
            {
                built.Add(requested, token.InstanceOrigin, target);
            }

            return target;
        }

        return MayCarry(requested, token) ? requested : null;
    }

    /// <summary>
    /// Returns the URI the request must be sent to with the token, or <see langword="null"/> when it is addressed to
    /// another origin and goes out without any credential.
    /// </summary>
    public static Uri? Resolve(Uri requested, SalesforceToken token, Uri? sessionOrigin) => Resolve(requested, token, sessionOrigin, built: null, out _);

    /// <summary>
    /// A URI the library itself sends the token to (a look at the session, the AuthSession read): the token's instance
    /// origin and <paramref name="pathAndQuery"/>, checked with <see cref="MayCarry"/>; null when the check fails.
    /// </summary>
    public static Uri? OnInstance(SalesforceToken token, string pathAndQuery)
    {
        var uri = new Uri(token.InstanceOrigin + (pathAndQuery.Length > 0 && pathAndQuery[0] == '/' ? pathAndQuery : "/" + pathAndQuery));
        return MayCarry(uri, token) ? uri : null;
    }

    /// <summary>Whether a request to <paramref name="uri"/> may carry <paramref name="token"/>: checked again just before any credential is attached.</summary>
    public static bool MayCarry(Uri uri, SalesforceToken token) =>
        SameOrigin(uri, token.InstanceUrl)
        || (token.IdentityUrl is { } identity && SameOrigin(uri, identity) && IsIdentityPath(uri.AbsolutePath));

    /// <summary>
    /// The instance's origin followed by the requested path and query. The path of an absolute http(s) URI always starts
    /// with '/', and the origin already ends the authority, so '//host', '/\host' or '..' climbs stay inside the path.
    /// </summary>
    private static Uri Rebase(SalesforceToken token, Uri requested) => new(token.InstanceOrigin + requested.PathAndQuery);

    // The identity URL and userinfo live on the login host and take the same token (docs/salesforce-behaviour.md#identity-and-userinfo).
    private static bool IsIdentityPath(string path) =>
        path.StartsWith("/id/", StringComparison.Ordinal) || path.StartsWith("/services/oauth2/userinfo", StringComparison.Ordinal);

    public static bool SameOrigin(Uri a, Uri b) =>
        a.IsAbsoluteUri
        && b.IsAbsoluteUri
        && string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;
}
