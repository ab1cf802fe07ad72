using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SalesforceJwt.Diagnostics;
using SalesforceJwt.Internal;

namespace SalesforceJwt.Tokens.Internal;

/// <summary>
/// Caches one token per connection and user (<see cref="TokenEntry"/>), and runs one exchange at a time for each: every
/// caller without a usable token waits on the same exchange, so a burst of requests or of 401s costs one login. A token
/// near its predicted end is renewed in the background while it is still served. Connections survive configuration
/// reloads that change nothing about their tokens, and pick up a replaced key file before their next exchange.
/// </summary>
internal sealed class SalesforceTokenProvider : ISalesforceTokenProvider, ISalesforceSessionTimeoutEstimator, ITokenUsage, IDisposable
{
    private readonly IOptionsMonitor<SalesforceJwtOptions> _options;
    private readonly SalesforceTokenClient _client;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly SalesforceJwtTelemetry _telemetry;
    private readonly HashSet<string> _registered;
    private readonly ConcurrentDictionary<string, TokenConnection> _connections = new(StringComparer.Ordinal);
    private readonly object _connectionsLock = new();
    private readonly CancellationTokenSource _disposed = new();
    private readonly IDisposable? _changeSubscription;
    private readonly SharedTokenCoordinator _shared;

    public SalesforceTokenProvider(
        IOptionsMonitor<SalesforceJwtOptions> options,
        SalesforceTokenClient client,
        TimeProvider timeProvider,
        SalesforceJwtTelemetry telemetry,
        IEnumerable<SalesforceConnectionName> registered,
        ILogger<SalesforceTokenProvider> logger,
        IServiceProvider? services = null)
    {
        _options = options;
        _client = client;
        _timeProvider = timeProvider;
        _telemetry = telemetry;
        _registered = new HashSet<string>(registered.Select(r => r.Name), StringComparer.Ordinal);
        _logger = logger;
        _changeSubscription = options.OnChange((_, name) => OnOptionsChanged(name ?? Options.DefaultName));
        telemetry.ObservePausedCount(CountPaused);

        // A SalesforceSharedTokenStore registered in DI (in any order) is found on the first exchange.
        _shared = new SharedTokenCoordinator(services, timeProvider, telemetry, logger);
        telemetry.ObserveSessionTimeouts(() => SessionTimeoutEstimates.Measure(_connections.Values));
    }

    private int CountPaused()
    {
        var now = _timeProvider.GetUtcNow();
        return _connections.Values.SelectMany(c => c.Entries.Entries).Count(entry => entry.PausedUntil > now);
    }

    public ValueTask<SalesforceToken> GetTokenAsync(string connectionName, SalesforceTokenRequest? request = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(connectionName);
        Guard.NotDisposed(_disposed.IsCancellationRequested, this);

        var connection = GetConnection(connectionName);
        var now = _timeProvider.GetUtcNow();
        var entry = GetEntry(connection, request?.Username, now);
        var rejected = request?.RejectedToken;
        if (rejected is null && entry.TryGetFresh(now) is { } cached)
        {
            return new ValueTask<SalesforceToken>(cached);
        }

        Task<SalesforceToken> pending;
        lock (entry.Lock)
        {
            now = _timeProvider.GetUtcNow();
            if (rejected?.State is { } rejectedState)
            {
                // What the session's end says about the timeout (docs/salesforce-behaviour.md#sessions-slide-on-activity).
                rejectedState.RecordEnd(now);
            }

            var current = entry.Current;
            var isRejected = current is not null && IsSameToken(current.Token, rejected);
            if (current is not null && !isRejected && !HasEnded(current, now))
            {
                // Valid, or Renewing: the token still works, so nobody waits for its successor.
                if (current.IsEnding(now) || entry.RenewalWanted)
                {
                    TryStartRenewal(connection, entry, current, now);
                }

                return new ValueTask<SalesforceToken>(current.Token);
            }

            if (entry.Pending is not null)
            {
                _telemetry.SharedWaits.Add(1);
                pending = entry.Pending;
            }
            else
            {
                // While paused, a token past its predicted end is still better than a fast failure.
                if (entry.PausedUntil > now && current is not null && !isRejected)
                {
                    return new ValueTask<SalesforceToken>(current.Token);
                }

                ThrowIfPaused(connection, entry, current, rejected, now);
                ThrowIfOverBudget(connection, entry, now);

                // The rejected token must not be handed out again while its replacement is on the way or if it fails.
                if (isRejected)
                {
                    entry.Current = null;
                }

                pending = StartExchange(connection, entry, isRenewal: isRejected, proactive: false, previous: current);
            }
        }

        // Only this caller's wait ends on cancellation; the exchange goes on for the others.
        return new ValueTask<SalesforceToken>(pending.WaitAsync(cancellationToken));
    }

    public bool TryGetCachedToken(string connectionName, string? username, DateTimeOffset now, ref TokenEntry? own, [NotNullWhen(true)] out SalesforceToken? token)
    {
        token = null;
        if (_disposed.IsCancellationRequested)
        {
            return false;
        }

        var entry = GetEntry(GetConnection(connectionName), username, now);
        if (username is null)
        {
            own = entry;
        }

        token = entry.TryGetFresh(now);
        return token is not null;
    }

    private static TokenEntry GetEntry(TokenConnection connection, string? requested, DateTimeOffset now)
    {
        // Salesforce usernames are case-insensitive: one cache entry and one login for every spelling of a user.
        var options = connection.Options;
        var username = (requested is not null && !string.IsNullOrWhiteSpace(requested) ? requested : options.Username!).Trim();
        return connection.Entries.Get(username, now, options.MaxCachedUsers, connection.IdleTime);
    }

    /// <summary>Starts a background renewal unless one is running, is backing off, or the login budget says no. Under the entry's lock.</summary>
    private void TryStartRenewal(TokenConnection connection, TokenEntry entry, TokenState current, DateTimeOffset now)
    {
        if (entry.Pending is not null || now < entry.NextRenewalAttempt || entry.PausedUntil > now
            || !entry.TryCountLogin(now, connection.Options.MaxLoginsPerHour, out _))
        {
            return;
        }

        if (!entry.RenewalWanted)
        {
            entry.RenewalWanted = true;
            _telemetry.Reauthentications.Add(1, new KeyValuePair<string, object?>("reason", "proactive"));
            Log.ProactiveRenewal(_logger, connection.Name, entry.Username);
        }

        _ = StartExchange(connection, entry, isRenewal: current.IsRenewal, proactive: true, previous: current);
    }

    private Task<SalesforceToken> StartExchange(TokenConnection connection, TokenEntry entry, bool isRenewal, bool proactive, TokenState? previous)
    {
        var owner = new TaskCompletionSource<SalesforceToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        entry.Pending = owner.Task;

        // Every waiter may have cancelled by the time the exchange fails, or none ever waited; the failure is still observed.
        owner.Task.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        // On the thread pool, not the caller's context: the exchange belongs to every waiter.
        _ = Task.Run(() => RunExchangeAsync(connection, entry, owner, isRenewal, proactive, previous), CancellationToken.None);
        return owner.Task;
    }

    /// <summary>Whether the token is past its predicted end (or its own exp): callers then wait for a new one.</summary>
    private static bool HasEnded(TokenState state, DateTimeOffset now)
    {
        var token = state.Token;
        if (now - token.AcquiredAt < SalesforceJwtDefaults.MinimumRenewalAge)
        {
            return false;
        }

        return (token.ExpiresAt is { } expires && now >= expires)
            || (state.Session is { } session && now >= session.PredictedEnd);
    }

    /// <summary>Fails fast instead of spending a login while the entry is paused, and opens the pause when a brand-new token is rejected.</summary>
    private void ThrowIfPaused(TokenConnection connection, TokenEntry entry, TokenState? current, SalesforceToken? rejected, DateTimeOffset now)
    {
        if (entry.PausedUntil is { } until)
        {
            if (now < until)
            {
                throw new SalesforceReauthenticationPausedException(entry.PauseCode, until,
                    $"Token requests for connection '{connection.Name}' are paused until {until:u} ({entry.PauseReason}).", entry.PauseCause);
            }

            entry.PausedUntil = null;
            Log.ReauthenticationResumed(_logger, connection.Name, entry.PauseCode);
        }

        // A token issued to replace a rejected one, rejected in turn before Salesforce accepted it even once: another
        // login would get the same answer. Pause once per such token, so a fixed configuration recovers by itself.
        var pause = connection.Options.ReauthenticationPause;
        if (current is not null && IsSameToken(current.Token, rejected)
            && current.IsRenewal && !current.HasBeenAccepted && pause > TimeSpan.Zero
            && !string.Equals(entry.PausedForToken, current.Token.AccessToken, StringComparison.Ordinal))
        {
            entry.PausedForToken = current.Token.AccessToken;
            Pause(entry, now + pause, SalesforceErrorCode.SessionRejectedAfterRenewal,
                "Salesforce rejected a token it had just issued; see the previous SalesforceSessionException for the likely causes", cause: null);
            Log.ReauthenticationPaused(_logger, connection.Name, entry.PauseReason!, pause.TotalSeconds);
            throw new SalesforceReauthenticationPausedException(entry.PauseCode, entry.PausedUntil!.Value,
                $"Token requests for connection '{connection.Name}' are paused for {pause.TotalSeconds:0} s: {entry.PauseReason}. " +
                "A new login would get the same answer until the cause is fixed in Salesforce.", null);
        }
    }

    private void ThrowIfOverBudget(TokenConnection connection, TokenEntry entry, DateTimeOffset now)
    {
        var max = connection.Options.MaxLoginsPerHour;
        if (!connection.MayTryLogin(now, out var connectionResumes))
        {
            Log.LoginBudgetExhausted(_logger, connection.Name, "(all users)", max, connectionResumes);
            _telemetry.PausesOpened.Add(1, new KeyValuePair<string, object?>("reason", nameof(SalesforceErrorCode.LoginBudgetExhausted)));
            throw new SalesforceReauthenticationPausedException(SalesforceErrorCode.LoginBudgetExhausted, connectionResumes,
                $"Token requests for connection '{connection.Name}' are paused until {connectionResumes:u}: Salesforce refused its users' logins " +
                $"{max} times in the last hour (MaxLoginsPerHour). See the earlier errors for why.", null);
        }

        if (entry.TryCountLogin(now, max, out var resumes))
        {
            return;
        }

        Log.LoginBudgetExhausted(_logger, connection.Name, entry.Username, max, resumes);
        _telemetry.PausesOpened.Add(1, new KeyValuePair<string, object?>("reason", nameof(SalesforceErrorCode.LoginBudgetExhausted)));
        throw new SalesforceReauthenticationPausedException(SalesforceErrorCode.LoginBudgetExhausted, resumes,
            $"Token requests for connection '{connection.Name}', user {entry.Username} are paused until {resumes:u}: it made " +
            $"{max} logins in the last hour (MaxLoginsPerHour). Something defeats every new token; see the earlier errors. " +
            "Salesforce itself allows 3,600 logins per user per hour.", null);
    }

    private void Pause(TokenEntry entry, DateTimeOffset until, SalesforceErrorCode code, string reason, Exception? cause)
    {
        _telemetry.PausesOpened.Add(1, new KeyValuePair<string, object?>("reason", code.ToString()));
        entry.PausedUntil = until;
        entry.PauseCode = code;
        entry.PauseReason = reason;
        entry.PauseCause = cause;
    }

    private static bool IsSameToken(SalesforceToken current, SalesforceToken? rejected) =>
        rejected is not null && string.Equals(current.AccessToken, rejected.AccessToken, StringComparison.Ordinal);

    private async Task RunExchangeAsync(TokenConnection connection, TokenEntry entry, TaskCompletionSource<SalesforceToken> owner, bool isRenewal, bool proactive, TokenState? previous)
    {
        try
        {
            var options = connection.Options;
            if (!isRenewal && !proactive && await KeepIfStillAliveAsync(connection, entry, owner, options).ConfigureAwait(false))
            {
                return;
            }

            var context = new SalesforceTokenClient.TokenContext(entry.Username, options.SessionTimeout, isRenewal, options.TokenRequestTimeout);
            var sessions = connection.GetSessions(name => new SessionTimeoutEstimator(new SessionTimeoutLog(_logger, name)));

            // With a shared token store, another instance's token may stand in for the exchange (SharedTokenCoordinator),
            // and what that instance knows of the session timeout comes with it. The timeout is read before the new token
            // is shared, so that it goes with it and instances that take the token need not read it again.
            var (token, lastActivity) = await _shared.AcquireAsync(connection, entry, previous, rejected: isRenewal && !proactive, proactive, async () =>
            {
                var minted = await ExchangeWithAudienceFallbackAsync(connection, entry, context).ConfigureAwait(false);
                if (options.ReadSessionTimeout && options.SessionTimeout is null)
                {
                    await ReadSessionTimeoutAsync(sessions, minted, options.ApiVersion).ConfigureAwait(false);
                }

                return minted;
            }).ConfigureAwait(false);

            // A token another instance shared has been active since it was issued: its evidence starts at that activity.
            var state = new TokenState(token, isRenewal, options.SessionTimeout is { } timeout ? new SessionTracker(lastActivity, timeout) : null,
                sessions.Track(lastActivity));
            token.State = state;
            lock (entry.Lock)
            {
                entry.Current = state;
                entry.Pending = null;
                entry.RenewalWanted = false;
                entry.RenewalFailures = 0;
                entry.NextRenewalAttempt = default;
            }

            owner.SetResult(token);
        }
        catch (Exception ex)
        {
            if (ex is SalesforceJwtException { IsTransient: false })
            {
                // Definite refusals only: an outage of the token endpoint must not hold logins back once it is over.
                connection.RecordFailedLogin(_timeProvider.GetUtcNow());
            }

            lock (entry.Lock)
            {
                entry.Pending = null;
                var now = _timeProvider.GetUtcNow();
                var pause = connection.Options.LoginRateLimitPause;
                if (ex is SalesforceJwtException { Code: SalesforceErrorCode.LoginRateExceeded } && pause > TimeSpan.Zero)
                {
                    Pause(entry, now + pause, SalesforceErrorCode.LoginRateExceeded,
                        "Salesforce answered 'login rate exceeded': this user made more than 3,600 logins in the last hour", ex);
                    Log.ReauthenticationPaused(_logger, connection.Name, entry.PauseReason!, pause.TotalSeconds);
                }

                if (proactive)
                {
                    // The current token still works: callers keep it, and the renewal is tried again later.
                    entry.RenewalFailures++;
                    var wait = TokenEntry.RenewalBackoff(entry.RenewalFailures);
                    entry.NextRenewalAttempt = now + wait;
                    _telemetry.RenewalFailures.Add(1);
                    Log.ProactiveRenewalFailed(_logger, connection.Name, entry.Username, entry.RenewalFailures, wait.TotalSeconds, ex.Message);
                }
            }

            owner.SetException(ex);
        }
    }

    /// <summary>
    /// A token past the end the <i>learned</i> timeout predicts is looked at once before a login replaces it: alive, it
    /// is kept (no login, and the estimate moves up); ended, that is evidence too. Configured and read timeouts are not
    /// second-guessed.
    /// </summary>
    private async Task<bool> KeepIfStillAliveAsync(TokenConnection connection, TokenEntry entry, TaskCompletionSource<SalesforceToken> owner, SalesforceJwtOptions options)
    {
        TokenState? current;
        lock (entry.Lock)
        {
            current = entry.Current;
        }

        // A JWT-format token ends at its own exp, which says nothing about the idle timeout.
        if (current is null || !current.HasBeenAccepted || current.Token.ExpiresAt is not null || options.SessionTimeout is not null
            || connection.Sessions is not { Read: null, Learned: not null })
        {
            return false;
        }

        var now = _timeProvider.GetUtcNow();
        var alive = await SessionProbe.IsAliveAsync(_client.CreateClient(), _timeProvider, current.Token, options.ApiVersion, _disposed.Token).ConfigureAwait(false);
        Log.SessionLookedAt(_logger, connection.Name, entry.Username, alive switch { true => "alive: kept", false => "ended: logging in", null => "nothing: logging in" });
        if (alive == false)
        {
            current.RecordEnd(now);
        }

        if (alive != true)
        {
            return false;
        }

        current.RecordUse(now);
        lock (entry.Lock)
        {
            // Rejected meanwhile by another caller's request: that answer wins, and a login follows.
            if (!ReferenceEquals(entry.Current, current))
            {
                return false;
            }

            entry.Pending = null;
            entry.RenewalWanted = false;
        }

        owner.SetResult(current.Token);
        return true;
    }

    /// <summary>Reads the new session's timeout from <c>AuthSession</c>; a refusal is logged once and the timeout is learned instead.</summary>
    private async Task ReadSessionTimeoutAsync(SessionTimeoutEstimator sessions, SalesforceToken token, string apiVersion)
    {
        var read = await AuthSessionReader.ReadAsync(_client.CreateClient(), _timeProvider, token, apiVersion, _disposed.Token).ConfigureAwait(false);
        if (read.SessionTimeout is { } timeout)
        {
            sessions.RecordRead(timeout, _timeProvider.GetUtcNow());
        }
        else
        {
            sessions.ReadRefused(read.Refusal ?? "no answer");
        }
    }

    private async Task<SalesforceToken> ExchangeWithAudienceFallbackAsync(TokenConnection connection, TokenEntry entry, SalesforceTokenClient.TokenContext context)
    {
        var audience = connection.Audience;
        try
        {
            return await ExchangeWithKeyReloadAsync(connection, entry, context, audience).ConfigureAwait(false);
        }
        catch (SalesforceAuthenticationException ex) when (
            ex.Code is SalesforceErrorCode.InvalidAudience or SalesforceErrorCode.AppNotFound
            && connection.FallbackAudience is { } fallback
            && !string.Equals(fallback, audience, StringComparison.Ordinal)
            && CountExtraLogin(connection, entry))
        {
            Log.AudienceFallback(_logger, connection.Name, audience, fallback);
            var token = await ExchangeWithKeyReloadAsync(connection, entry, context, fallback).ConfigureAwait(false);

            // Keep what worked, as the Salesforce CLI does, so later logins do not pay for the failed attempt.
            connection.Audience = fallback;
            connection.FallbackAudience = null;
            return token;
        }
    }

    /// <summary>
    /// When Salesforce says the assertion does not verify and the key file now holds a different key (a rotation
    /// whose file change was not yet seen), signs once more with the new key: at most one extra login per rejection.
    /// </summary>
    private async Task<SalesforceToken> ExchangeWithKeyReloadAsync(TokenConnection connection, TokenEntry entry, SalesforceTokenClient.TokenContext context, string audience)
    {
        try
        {
            return await ExchangeAsync(connection, context, audience).ConfigureAwait(false);
        }
        catch (SalesforceAuthenticationException ex) when (ex.Code == SalesforceErrorCode.InvalidAssertion
            && connection.Key.Reload()
            && CountExtraLogin(connection, entry))
        {
            return await ExchangeAsync(connection, context, audience).ConfigureAwait(false);
        }
    }

    /// <summary>A second attempt within one exchange (another audience, a reloaded key) is a login too: it spends the budget, or is not made.</summary>
    private bool CountExtraLogin(TokenConnection connection, TokenEntry entry)
    {
        lock (entry.Lock)
        {
            return entry.TryCountLogin(_timeProvider.GetUtcNow(), connection.Options.MaxLoginsPerHour, out _);
        }
    }

    private async Task<SalesforceToken> ExchangeAsync(TokenConnection connection, SalesforceTokenClient.TokenContext context, string audience)
    {
        var connectionName = connection.Name;
        var username = context.Username;
        var options = connection.Options;
        var tokenEndpoint = SalesforceTokenClient.TokenEndpoint(options.LoginUrl);
        Log.TokenRequesting(_logger, connectionName, username, tokenEndpoint, audience);
        using var activity = SalesforceJwtTelemetry.ActivitySource.StartActivity("SalesforceJwt.AcquireToken", ActivityKind.Client);
        activity?.SetTag("server.address", tokenEndpoint.Host);
        activity?.SetTag("salesforcejwt.connection", connectionName);
        activity?.SetTag("salesforcejwt.renewal", context.IsRenewal);
        var started = _timeProvider.GetTimestamp();
        var outcome = "success";
        try
        {
            string assertion;
            using (var key = connection.Key.Acquire())
            {
                // A remote signer gets TokenRequestTimeout and cancellation; the local key signs at once.
                assertion = await key.Builder.BuildAsync(options.ConsumerKey!, username, audience, options.AssertionLifetime,
                    options.TokenRequestTimeout, connectionName, _logger, _disposed.Token).ConfigureAwait(false);
            }

            var token = await _client.RequestTokenAsync(options.LoginUrl, assertion, context, _disposed.Token).ConfigureAwait(false);
            Log.TokenAcquired(_logger, connectionName, username, token.InstanceUrl.Host, token.OrganizationId,
                (long)_timeProvider.GetElapsedTime(started).TotalMilliseconds);
            activity?.SetTag("salesforcejwt.instance", token.InstanceUrl.Host);
            return token;
        }
        catch (SalesforceJwtException ex)
        {
            outcome = ex.Code.ToString();
            activity?.SetStatus(ActivityStatusCode.Error, ex.Code.ToString());
            activity?.SetTag("error.type", ex.Code.ToString());
            Log.TokenRequestFailed(_logger, tokenEndpoint.Host, connectionName, username, ex.Code, ex.Message);
            throw;
        }
        finally
        {
            activity?.SetTag("salesforcejwt.outcome", outcome);
            var tags = new TagList { { "outcome", outcome }, { "server.address", tokenEndpoint.Host } };
            _telemetry.TokenRequests.Add(1, tags);
            _telemetry.TokenDuration.Record(_timeProvider.GetElapsedTime(started).TotalSeconds, tags);
        }
    }

    private TokenConnection GetConnection(string name) =>
        _connections.TryGetValue(name, out var connection) ? connection : AddConnection(name);

    // Apart from GetConnection so that the fast path allocates no closure over the name.
    private TokenConnection AddConnection(string name)
    {
        TokenConnection? connection;
        lock (_connectionsLock)
        {
            if (_connections.TryGetValue(name, out connection))
            {
                return connection;
            }

            if (!_registered.Contains(name))
            {
                throw new InvalidOperationException(
                    $"No Salesforce connection named '{name}' is registered. Registered: " +
                    (_registered.Count == 0 ? "none" : string.Join(", ", _registered.OrderBy(n => n, StringComparer.Ordinal).Select(n => $"'{n}'"))) +
                    ". Register it with services.AddSalesforceJwt(\"" + name + "\", ...), or use one of those names.");
            }

            // Get validates the options (OptionsValidationException names what is wrong); the key loads once per connection.
            connection = new TokenConnection(name, _options.Get(name), _timeProvider,
                why => Log.KeyReloaded(_logger, name, why), ex => Log.KeyReloadFailed(_logger, name, ex.Message));
            _connections[name] = connection;
            return connection;
        }
    }

    /// <summary>
    /// A reload that changes nothing a token depends on is applied in place: 0 logins. One that does replaces the
    /// connection; its key is disposed once the last exchange signing with it has ended.
    /// </summary>
    private void OnOptionsChanged(string name)
    {
        lock (_connectionsLock)
        {
            if (!_connections.TryGetValue(name, out var connection))
            {
                return;
            }

            SalesforceJwtOptions fresh;
            try
            {
                fresh = _options.Get(name);
            }
            catch (Exception ex) when (ex is OptionsValidationException or SalesforceConfigurationException)
            {
                Log.ReloadRejected(_logger, name, ex.Message);
                return;
            }

            if (TokenConnection.SameTokenIdentity(connection.Options, fresh))
            {
                connection.Options = fresh;
                Log.ReloadAppliedInPlace(_logger, name);
                return;
            }

            _connections.TryRemove(name, out _);
            connection.Dispose();
            Log.ReloadReplacedConnection(_logger, name);
        }
    }

    /// <summary>The live connection of that name, if it has been used; for tests of reloads and rotation.</summary>
    internal TokenConnection? FindConnection(string name) => _connections.TryGetValue(name, out var connection) ? connection : null;

    public SalesforceSessionTimeoutEstimate GetSessionTimeoutEstimate(string connectionName)
    {
        Guard.NotNull(connectionName);
        var connection = FindConnection(connectionName);
        var configured = connection is not null ? connection.Options.SessionTimeout
            : _registered.Contains(connectionName) ? _options.Get(connectionName).SessionTimeout : null;
        return SessionTimeoutEstimates.For(configured, connection?.Sessions);
    }

    // The token carries its state (set when this provider issued it): no table lookup.
    public bool HasBeenAccepted(SalesforceToken token) => token.State?.HasBeenAccepted == true;

    public void Dispose()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        _disposed.Cancel();
        _changeSubscription?.Dispose();
        _shared.Dispose();
        lock (_connectionsLock)
        {
            foreach (var connection in _connections.Values)
            {
                connection.Dispose();
            }

            _connections.Clear();
        }

        _disposed.Dispose();
    }
}
