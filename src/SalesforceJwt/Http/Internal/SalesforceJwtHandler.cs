using SalesforceJwt.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SalesforceJwt.Diagnostics;
using SalesforceJwt.Tokens;
using SalesforceJwt.Tokens.Internal;

namespace SalesforceJwt.Http.Internal;

/// <summary>
/// Sends requests to the connection's Salesforce instance with its token, and when Salesforce says the session ended,
/// gets a new token and replays the request once. Requests to any other origin go out without the token, and a
/// credential is attached only after the final URI is checked against the token's origin (docs/security.md).
/// </summary>
internal sealed class SalesforceJwtHandler(
    string connectionName,
    ISalesforceTokenProvider tokenProvider,
    ISalesforceSessionClassifier classifier,
    IOptionsMonitor<SalesforceJwtOptions> options,
    TimeProvider timeProvider,
    RejectedPaths rejections,
    SalesforceJwtTelemetry telemetry,
    ILogger<SalesforceJwtHandler> logger,
    ApiUsageObserver? apiUsage = null,
    ILogger? requestLogger = null) : DelegatingHandler
{
    private const string BulkSessionHeader = "X-SFDC-Session";

    // The library's own provider learns from each answer; a provider the user substituted is simply asked for tokens.
    private readonly ITokenUsage? _usage = tokenProvider as ITokenUsage;
    private readonly RebasedUris _rebased = new();

    // The connection's own user's cache entry, kept so the hot path does not look it up by name on every request; asked
    // directly until it is retired (evicted, connection replaced, provider disposed).
    private TokenEntry? _ownEntry;

    private readonly CoarseClock? _coarseClock = timeProvider == TimeProvider.System ? CoarseClock.System : null;

#if NET5_0_OR_GREATER
    /// <summary>
    /// <see cref="HttpClient.Send(HttpRequestMessage)"/> follows the same rules as <c>SendAsync</c>: the token, the
    /// origin check, the replay. It blocks the calling thread, as a synchronous call does; prefer the async API.
    /// </summary>
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        SendAsync(request, cancellationToken).GetAwaiter().GetResult();
#endif

    /// <remarks>
    /// With a cached token the request passes through without an async frame of its own until the send: the one frame
    /// is <see cref="SendAuthorizedAsync"/>, which must see the answer. Everything else is a slow path of its own
    /// (issue 12). What is thrown before the send is returned as a faulted task, as from an async method.
    /// </remarks>
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            var requestedUri = request.RequestUri
                ?? throw new InvalidOperationException("The request has no URI. Give it a path such as 'services/data/v62.0/limits'.");

            var username = RequestOptions.Username(request);

            // One clock read per request: it picks the cached token and is the send time Salesforce is told about.
            var now = Now();
            SalesforceToken? token = null;
            if (username is null && _ownEntry is { Retired: false } own)
            {
                own.Touch(now);
                token = own.TryGetFresh(now);
            }
            else
            {
                _usage?.TryGetCachedToken(connectionName, username, now, ref _ownEntry, out token);
            }

            return token is not null
                ? SendWithTokenAsync(request, requestedUri, token, now, cancellationToken)
                : SendWithNewTokenAsync(request, requestedUri, username, cancellationToken);
        }
        catch (Exception ex)
        {
            return Task.FromException<HttpResponseMessage>(ex);
        }
    }

    /// <summary>
    /// The time for the hot path. On the system clock, a coarse reading (<see cref="CoarseClock"/>) that is never later
    /// than the precise one: a send time that errs, errs early. A clock the app registered is read as it is.
    /// </summary>
    private DateTimeOffset Now() => _coarseClock?.UtcNow ?? timeProvider.GetUtcNow();

    private async Task<HttpResponseMessage> SendWithNewTokenAsync(HttpRequestMessage request, Uri requestedUri, string? username, CancellationToken cancellationToken)
    {
        var token = await tokenProvider.GetTokenAsync(connectionName, username is null ? null : new SalesforceTokenRequest { Username = username }, cancellationToken)
            .ConfigureAwait(false);
        return await SendWithTokenAsync(request, requestedUri, token, Now(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends with <paramref name="token"/>, or without any credential when the request is addressed to another origin.</summary>
    private Task<HttpResponseMessage> SendWithTokenAsync(
        HttpRequestMessage request, Uri requestedUri, SalesforceToken token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var target = CredentialTarget.Resolve(requestedUri, token, sessionOrigin: null, _rebased, out var verified);
        if (target is null)
        {
            return SendToOtherOrigin(request, requestedUri, token, cancellationToken);
        }

        request.RequestUri = target;
        if (token.ExpiresAt is not null && SessionExpiryClassifier.IsSoap(target.AbsolutePath))
        {
            var path = target.AbsolutePath;
            throw new SalesforceSessionException(SalesforceErrorCode.JwtTokenRefusedBySoap,
                $"The connected app issues JWT-format access tokens, which the SOAP and Metadata APIs refuse ({request.Method} {path}). " +
                "Untick 'Issue JSON Web Token (JWT)-based access tokens' on the app, or use the REST API.", null, null, null);
        }

        if (request.Content is not null)
        {
            return SendWithContentAsync(request, target, verified, token, cancellationToken);
        }

        Authorize(request, token, verified);
        return SendAuthorizedAsync(request, target, token, now, notReplayable: null, cancellationToken);
    }

    private Task<HttpResponseMessage> SendToOtherOrigin(HttpRequestMessage request, Uri requestedUri, SalesforceToken token, CancellationToken cancellationToken)
    {
        Log.ForeignHost(logger, connectionName, requestedUri.IsAbsoluteUri ? requestedUri.Host : "(relative URI)");

        // The same message may come back re-aimed by an outer handler (one that follows redirects or retries
        // elsewhere), or a copy of it with its headers: what this handler attached on an earlier pass, and the
        // current token however it got there, must not go with it.
        if (request.Headers.Authorization is { } authorization
            && (authorization is SalesforceBearerHeader || string.Equals(authorization.Parameter, token.AccessToken, StringComparison.Ordinal)))
        {
            request.Headers.Authorization = null;
        }

        if (RequestOptions.WasCredentialed(request)
            || (request.Headers.TryGetValues(BulkSessionHeader, out var sessions) && sessions.Contains(token.AccessToken, StringComparer.Ordinal)))
        {
            request.Headers.Remove(BulkSessionHeader);
        }

        return SendOnceAsync(request, cancellationToken);
    }

    /// <summary>A request with a body: made replayable first (or noted as not), then sent.</summary>
    private async Task<HttpResponseMessage> SendWithContentAsync(
        HttpRequestMessage request, Uri target, Uri? verified, SalesforceToken token, CancellationToken cancellationToken)
    {
        var notReplayable = await ReplayableContent.PrepareAsync(request, options.Get(connectionName).MaxReplayBufferBytes, cancellationToken).ConfigureAwait(false);
        var now = Now();
        Authorize(request, token, verified);
        return await SendAuthorizedAsync(request, target, token, now, notReplayable, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends the authorized request and reads the answer: the session goes on, or it ended and the request is renewed
    /// and replayed. The one async frame of the hot path, so it carries no more state than it must.
    /// </summary>
    private async Task<HttpResponseMessage> SendAuthorizedAsync(
        HttpRequestMessage request, Uri target, SalesforceToken token, DateTimeOffset sentAt, SalesforceReplaySkipReason? notReplayable,
        CancellationToken cancellationToken)
    {
        var response = await SendOnceAsync(request, cancellationToken).ConfigureAwait(false);
        var expiry = classifier is SessionExpiryClassifier && !SessionExpiryClassifier.MayMeanSessionEnd(response.StatusCode)
            ? null
            : await classifier.GetSessionEndReasonAsync(response, cancellationToken).ConfigureAwait(false);
        if (expiry is null)
        {
            // The send time is the clock read before the send, never after it: a send time that errs, errs early, so a
            // session end is predicted early (a login) rather than late (a 401).
            token.State?.RecordUse(sentAt);
            apiUsage?.Observe(connectionName, response);
            return response;
        }

        return await OnSessionEndAsync(request, target, token, response, expiry, notReplayable, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Salesforce said the session ended: renew and replay once, or say precisely why not. Apart from the send, so that
    /// the state every request carries across its awaits stays small (issue 12).
    /// </summary>
    private async Task<HttpResponseMessage> OnSessionEndAsync(
        HttpRequestMessage request, Uri target, SalesforceToken token, HttpResponseMessage response, string expiry,
        SalesforceReplaySkipReason? notReplayable, CancellationToken cancellationToken)
    {
        var username = RequestOptions.Username(request);
        var path = target.AbsolutePath;
        var isSoap = SessionExpiryClassifier.IsSoap(path);
        var method = request.Method.Method;
        // A token that never worked is paused by the provider itself; one that works elsewhere is paused here, per path.
        if (_usage?.HasBeenAccepted(token) != false && rejections.IsRejected(connectionName, username, path, token, timeProvider.GetUtcNow()) is { } rejectedUntil)
        {
            // This path refused a token issued to replace an expired one; another login would get the same answer.
            telemetry.Replays.Add(1, new KeyValuePair<string, object?>("result", "skipped"));
            response.Dispose();
            throw new SalesforceReauthenticationPausedException(SalesforceErrorCode.SessionRejectedAfterRenewal, rejectedUntil,
                $"{method} {path} on connection '{connectionName}' answered {expiry} even to a token issued to replace an expired one, so " +
                $"it is not re-authenticated again until {rejectedUntil:u}: another login would get the same answer. See the earlier " +
                "SalesforceSessionException (SessionRejectedAfterRenewal) for the likely causes.", null);
        }

        telemetry.Reauthentications.Add(1, new KeyValuePair<string, object?>("reason", expiry));
        telemetry.SessionAge.Record((timeProvider.GetUtcNow() - token.AcquiredAt).TotalSeconds);
        if (notReplayable is not null)
        {
            telemetry.Replays.Add(1, new KeyValuePair<string, object?>("result", "skipped"));
            // Renew for the requests that follow; this one goes back as it came, never sent twice or empty.
            Log.ReplayNotPossible(logger, connectionName, method, path, notReplayable.Value.ToString());
            RequestOptions.SetReplaySkipped(request, notReplayable.Value);
            try
            {
                await RenewAsync(token, username, cancellationToken).ConfigureAwait(false);
            }
            catch (SalesforceJwtException)
            {
                // Already logged by the provider; the caller still gets Salesforce's answer to its request.
            }

            return response;
        }

        Log.SessionExpired(logger, connectionName, expiry, method, path);
        SalesforceToken fresh;
        try
        {
            fresh = await RenewAsync(token, username, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            response.Dispose();
            throw;
        }

        var replay = await CreateReplayAsync(request, target, token, fresh, isSoap, cancellationToken).ConfigureAwait(false);
        if (replay is null)
        {
            telemetry.Replays.Add(1, new KeyValuePair<string, object?>("result", "skipped"));
            response.Dispose();
            throw new SalesforceSessionException(SalesforceErrorCode.SessionExpiredNotReplayable,
                $"The Salesforce session ended during {method} {path}, and the request cannot be sent again with the new session: " +
                (isSoap
                    ? "its SOAP envelope has no SessionHeader carrying the old session id to replace. Send it again with the new token from ISalesforceTokenProvider."
                    : $"the new token is for {fresh.InstanceUrl.Host}, not the host this request was addressed to. Address it to the new instance."),
                null, expiry, null);
        }

        response.Dispose();
        Authorize(replay, fresh);
        var sentAt = timeProvider.GetUtcNow();
        var replayed = await SendOnceAsync(replay, cancellationToken).ConfigureAwait(false);
        var stillExpired = await classifier.GetSessionEndReasonAsync(replayed, cancellationToken).ConfigureAwait(false);
        if (stillExpired is null)
        {
            fresh.State?.RecordUse(sentAt);
            apiUsage?.Observe(connectionName, replayed);
            telemetry.Replays.Add(1, new KeyValuePair<string, object?>("result", "succeeded"));
            Log.Replayed(logger, connectionName, method, path, (int)replayed.StatusCode);
            return replayed;
        }

        telemetry.Replays.Add(1, new KeyValuePair<string, object?>("result", "rejected"));

        // Never loop: a token Salesforce rejects the moment it is issued points at configuration, not expiry. The path
        // is not re-authenticated again for this token, so a path that always refuses costs no more logins.
        var rejectedAt = timeProvider.GetUtcNow();
        rejections.Add(connectionName, username, replay.RequestUri!.AbsolutePath, fresh, rejectedAt, rejectedAt + options.Get(connectionName).ReauthenticationPause);
        Log.FreshTokenRejected(logger, connectionName, method, path, stillExpired);
        throw await FreshTokenRejectedAsync(replayed, stillExpired, method, path, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends once to the next handler, with request logging that records no headers (docs/security.md): the factory's
    /// default logging, which does, is removed from Salesforce clients. Logging here rather than in a logging handler of
    /// its own costs a request nothing while it is off (issue 12).
    /// </summary>
    private Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        requestLogger is { } log && log.IsEnabled(LogLevel.Debug)
            ? SendLoggedAsync(log, request, cancellationToken)
            : base.SendAsync(request, cancellationToken);

    private async Task<HttpResponseMessage> SendLoggedAsync(ILogger log, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            Log.HttpRequestCompleted(log, request.Method.Method, HeaderFreeHttpClientLogger.Describe(request.RequestUri), (int)response.StatusCode,
                (long)timeProvider.GetElapsedTime(started).TotalMilliseconds);
            return response;
        }
        catch (Exception ex)
        {
            Log.HttpRequestFailed(log, request.Method.Method, HeaderFreeHttpClientLogger.Describe(request.RequestUri),
                (long)timeProvider.GetElapsedTime(started).TotalMilliseconds, ex.GetType().Name);
            throw;
        }
    }

    private ValueTask<SalesforceToken> RenewAsync(SalesforceToken rejected, string? username, CancellationToken cancellationToken) =>
        tokenProvider.GetTokenAsync(connectionName, new SalesforceTokenRequest { Username = username, RejectedToken = rejected }, cancellationToken);

    /// <summary>
    /// Copies the request for its second send (method, version, headers, options, the same replayable content), aimed at
    /// the new token's instance; for SOAP, with the new session id in the envelope. Null when SOAP has none to replace.
    /// </summary>
    private static async Task<HttpRequestMessage?> CreateReplayAsync(
        HttpRequestMessage original, Uri sent, SalesforceToken rejected, SalesforceToken fresh, bool isSoap, CancellationToken cancellationToken)
    {
        // Where the replay goes is decided before any credential, the SOAP session id included, is put into it.
        // A URI on the rejected token's instance (every first send built from the placeholder) moves to the new one.
        var target = CredentialTarget.Resolve(sent, fresh, sessionOrigin: rejected.InstanceUrl);
        if (target is null)
        {
            return null;
        }

        var content = original.Content;
        if (isSoap)
        {
            content = await SoapSession.ReplaceAsync(content, rejected.AccessToken, fresh.AccessToken, cancellationToken).ConfigureAwait(false);
            if (content is null)
            {
                return null;
            }
        }

        var replay = new HttpRequestMessage(original.Method, target) { Content = content };
        RequestOptions.CopyTo(original, replay);
        return replay;
    }

    private static async Task<SalesforceSessionException> FreshTokenRejectedAsync(
        HttpResponseMessage response, string reason, string method, string path, CancellationToken cancellationToken)
    {
        using (response)
        {
            var excerpt = SafeExcerpt.From(await ReadExcerptSourceAsync(response, cancellationToken).ConfigureAwait(false));
            return new SalesforceSessionException(SalesforceErrorCode.SessionRejectedAfterRenewal,
                $"Salesforce rejected a token it had just issued ({(int)response.StatusCode} {reason}) for {method} {path}, so a new login " +
                "cannot help. Likely causes: the user's profile requires High Assurance sessions, or API Access Control blocks the app " +
                "('This session is not valid for use with the REST API'); the org locks sessions to the IP they started from and this " +
                "machine's egress IP changed; the request went to a host other than the token's instance_url; or the app issues " +
                "JWT-format access tokens and the API refuses them. Re-authentication pauses for ReauthenticationPause.",
                response.StatusCode, reason, excerpt);
        }
    }

    /// <summary>
    /// The start of an error body, enough for an excerpt and no more: the body may stream without end (docs/security.md#bounds-on-what-a-server-sends).
    /// </summary>
    private static async Task<string?> ReadExcerptSourceAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        const int MaxExcerptSource = 4096;
        try
        {
            var prefix = await BoundedBody.ReadPrefixAsync(response.Content, MaxExcerptSource, cancellationToken).ConfigureAwait(false);
            prefix.Rest?.Dispose();
            return System.Text.Encoding.UTF8.GetString(prefix.Buffer, 0, prefix.Length);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            // The error is Salesforce's refusal; a body cut short only costs the excerpt.
            return null;
        }
    }

    /// <summary>
    /// Attaches the token, after checking once more, at the last moment, that the request's final URI is the token's
    /// own origin: nothing that built or changed the URI before this point can send the token elsewhere.
    /// </summary>
    private void Authorize(HttpRequestMessage request, SalesforceToken token, Uri? verified = null)
    {
        // The very URI instance CredentialTarget checked for this token's origin when it remembered it, or checked now.
        var uri = request.RequestUri!;
        if (!ReferenceEquals(uri, verified) && !CredentialTarget.MayCarry(uri, token))
        {
            request.Headers.Authorization = null;
            request.Headers.Remove(BulkSessionHeader);
            Log.CredentialWithheld(logger, connectionName, uri.IsAbsoluteUri ? uri.Host : "(relative URI)");
            throw new SalesforceSessionException(SalesforceErrorCode.CredentialTargetRejected,
                $"SalesforceJwt refused to send the token of connection '{connectionName}' to {Describe(uri)}: a token goes only to its own " +
                $"instance ({token.InstanceUrl.Host}) or identity URL. Nothing was sent. Address the request with a relative path such as " +
                "'services/data/v62.0/limits'.", null, null, null);
        }

        request.Headers.Authorization = token.AuthorizationHeader;
        if (SessionExpiryClassifier.IsBulkV1(uri.AbsolutePath))
        {
            // Bulk API 1.0 reads the session from its own header, not from Authorization.
            request.Headers.Remove(BulkSessionHeader);
            request.Headers.TryAddWithoutValidation(BulkSessionHeader, token.AccessToken);
            RequestOptions.SetCredentialed(request);
        }
    }

    private static string Describe(Uri uri) => uri.IsAbsoluteUri ? $"{uri.Scheme}://{uri.Authority}" : "a relative URI";
}
