using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SalesforceJwt.Diagnostics;
using SalesforceJwt.Tokens;

namespace SalesforceJwt.Http.Internal;

/// <summary>
/// Sends requests to the connection's Salesforce instance with its token, and when Salesforce says the session ended,
/// gets a new token and replays the request once. Requests to any other host go out without the token.
/// </summary>
internal sealed class SalesforceJwtHandler(
    string connectionName,
    ISalesforceTokenProvider tokenProvider,
    IOptionsMonitor<SalesforceJwtOptions> options,
    ILogger<SalesforceJwtHandler> logger) : DelegatingHandler
{
    private const string BulkSessionHeader = "X-SFDC-Session";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var requestedUri = request.RequestUri
            ?? throw new InvalidOperationException("The request has no URI. Give it a path such as 'services/data/v62.0/limits'.");

        request.Options.TryGetValue(SalesforceHttpRequestOptions.Username, out var username);
        var token = await tokenProvider.GetTokenAsync(connectionName, new SalesforceTokenRequest { Username = username }, cancellationToken)
            .ConfigureAwait(false);

        if (!TryTarget(request, requestedUri, token, sessionOrigin: null))
        {
            Log.ForeignHost(logger, connectionName, requestedUri.Host);
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var notReplayable = await ReplayableContent.PrepareAsync(request, options.Get(connectionName).MaxReplayBufferBytes, cancellationToken)
            .ConfigureAwait(false);

        Authorize(request, token);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var expiry = await SessionExpiryClassifier.GetExpiryReasonAsync(response, cancellationToken).ConfigureAwait(false);
        if (expiry is null)
        {
            return response;
        }

        var path = request.RequestUri!.AbsolutePath;
        if (notReplayable is not null)
        {
            // The session will be renewed by the next request that finds this token rejected; this one goes back as it came.
            Log.ReplayNotPossible(logger, connectionName, request.Method.Method, path, notReplayable);
            return response;
        }

        Log.SessionExpired(logger, connectionName, expiry, request.Method.Method, path);
        var fresh = await tokenProvider.GetTokenAsync(
            connectionName, new SalesforceTokenRequest { Username = username, RejectedToken = token }, cancellationToken).ConfigureAwait(false);

        if (!TryTarget(request, requestedUri, fresh, sessionOrigin: token.InstanceUrl))
        {
            Log.ReplayNotPossible(logger, connectionName, request.Method.Method, path, "the new token is for another instance");
            return response;
        }

        response.Dispose();
        Authorize(request, fresh);
        var replayed = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var stillExpired = await SessionExpiryClassifier.GetExpiryReasonAsync(replayed, cancellationToken).ConfigureAwait(false);
        if (stillExpired is not null)
        {
            // Never loop: a token Salesforce rejects the moment it is issued points at configuration, not expiry.
            Log.FreshTokenRejected(logger, connectionName, request.Method.Method, path, stillExpired);
        }

        return replayed;
    }

    /// <summary>
    /// Points the request at the token's instance when it was addressed to the placeholder base address (or to the
    /// instance of the token it replaces), and says whether the request may carry the token at all.
    /// </summary>
    private static bool TryTarget(HttpRequestMessage request, Uri requestedUri, SalesforceToken token, Uri? sessionOrigin)
    {
        if (SameOrigin(requestedUri, SalesforceJwtDefaults.InstanceBaseAddress) || (sessionOrigin is not null && SameOrigin(requestedUri, sessionOrigin)))
        {
            request.RequestUri = new Uri(token.InstanceUrl, requestedUri.PathAndQuery);
            return true;
        }

        if (SameOrigin(requestedUri, token.InstanceUrl))
        {
            request.RequestUri = requestedUri;
            return true;
        }

        // The identity URL and userinfo live on the login host and take the same token (facts §8).
        return token.IdentityUrl is not null
            && SameOrigin(requestedUri, token.IdentityUrl)
            && (requestedUri.AbsolutePath.StartsWith("/id/", StringComparison.Ordinal)
                || requestedUri.AbsolutePath.StartsWith("/services/oauth2/userinfo", StringComparison.Ordinal));
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        a.IsAbsoluteUri
        && string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;

    private static void Authorize(HttpRequestMessage request, SalesforceToken token)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        if (SessionExpiryClassifier.IsBulkV1(request.RequestUri!.AbsolutePath))
        {
            // Bulk API 1.0 reads the session from its own header, not from Authorization.
            request.Headers.Remove(BulkSessionHeader);
            request.Headers.TryAddWithoutValidation(BulkSessionHeader, token.AccessToken);
        }
    }
}
