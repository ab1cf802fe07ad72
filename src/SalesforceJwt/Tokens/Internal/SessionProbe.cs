using System.Net;
using Polly;
using SalesforceJwt.Http.Internal;
using SalesforceJwt.Internal;

namespace SalesforceJwt.Tokens.Internal;

/// <summary>
/// Looks once at a session the learned timeout says has ended, before a login replaces it: one authenticated
/// <c>GET /services/data/vXX.X/</c> (the resource list) on the token's own instance. Its answer is evidence either way,
/// and a 401 here reaches no caller. REST answers an ended session with 401 (docs/salesforce-behaviour.md#session-expiry-by-api).
/// </summary>
internal static class SessionProbe
{
    /// <summary>How long the look may take before the login goes ahead anyway.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Whether the session is alive: <see langword="true"/> on 2xx, <see langword="false"/> on 401, <see langword="null"/> when the answer says neither.</summary>
    public static async Task<bool?> IsAliveAsync(HttpClient client, TimeProvider timeProvider, SalesforceToken token, string apiVersion, CancellationToken cancellationToken)
    {
        using var deadline = TimeProviderTimeout.Create(timeProvider, Timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            // Built on the token's own origin and checked before the token goes in (docs/security.md#where-a-token-may-go).
            if (CredentialTarget.OnInstance(token, $"/services/data/v{apiVersion}/") is not { } uri)
            {
                return null;
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.Authorization = token.AuthorizationHeader;

            // Only the status matters; the body is never read.
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? true : response.StatusCode == HttpStatusCode.Unauthorized ? false : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or ExecutionRejectedException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
