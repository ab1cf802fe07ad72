using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SalesforceJwt.Diagnostics;
using SalesforceJwt.Internal;

namespace SalesforceJwt.Tokens.Internal;

/// <summary>
/// The provider's slow path across instances: before an exchange, takes a usable token from the
/// <see cref="SalesforceSharedTokenStore"/> if one is there; otherwise takes the entry's lock, reads again, logs in and
/// shares the result (replacing the token it saw, compare-and-swap), or, when another instance holds the lock, waits a
/// bounded time for that instance's token. Every store call is bounded by the store's timeout and may fail: the
/// instance then logs in on its own (a warning and a fallback metric), so the store is never a single point of failure.
/// Without a store registered, it only runs the exchange.
/// </summary>
internal sealed class SharedTokenCoordinator : IDisposable
{
    /// <summary>
    /// How long an entry is kept when the session timeout is not configured: the shortest timeout Salesforce offers
    /// (docs/salesforce-behaviour.md#sessions-slide-on-activity), so that no entry outlives its session. An entry that
    /// expires while its session lives costs nothing until an instance needs a token, and then one login fleet-wide.
    /// </summary>
    internal static readonly TimeSpan UnknownSessionEntryLifetime = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How often the activity recorded here is written to the store, for the tokens whose session it moved: at most
    /// one write per token per half session timeout (that is how often Salesforce records activity), none otherwise.
    /// </summary>
    internal static readonly TimeSpan ActivitySharePeriod = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan s_firstPoll = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan s_lastPoll = TimeSpan.FromMilliseconds(200);

    private readonly IServiceProvider? _services;
    private readonly TimeProvider _timeProvider;

    /// <summary>
    /// The clock of waits on the store: its locks and entries expire in the store's real time, so waiting for them
    /// goes by real time too, even when the connection's clock is a test's fake one that nobody advances.
    /// </summary>
    private readonly TimeProvider _storeClock = TimeProvider.System;
    private readonly SalesforceJwtTelemetry _telemetry;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Tracked[]> _tracked = new(StringComparer.Ordinal);
    private readonly object _storeLock = new();
    private readonly Action<string, string> _onInvalidated;
    private readonly ConcurrentDictionary<TokenEntry, Stored> _stored = new();
    private SalesforceSharedTokenStore? _store;
    private ITimer? _activityTimer;
    private int _sharingActivity;
    private bool _resolved;

    public SharedTokenCoordinator(IServiceProvider? services, TimeProvider timeProvider, SalesforceJwtTelemetry telemetry, ILogger logger)
    {
        _services = services;
        _timeProvider = timeProvider;
        _telemetry = telemetry;
        _logger = logger;
        _onInvalidated = OnInvalidated;
    }

    /// <summary>What an acquisition gives the provider: the token and the last activity recorded for its session.</summary>
    internal readonly record struct Acquired(SalesforceToken Token, DateTimeOffset LastActivity);

    /// <summary>
    /// The store, resolved on first use so that <c>AddSalesforceJwtRedis</c> may come before or after
    /// <c>AddSalesforceJwt</c>. A store that cannot be built (no Data Protection, say) throws here: that is a
    /// configuration error for the caller, not an outage to ride out.
    /// </summary>
    private SalesforceSharedTokenStore? GetStore()
    {
        if (Volatile.Read(ref _resolved))
        {
            return _store;
        }

        lock (_storeLock)
        {
            if (!_resolved)
            {
                var store = _services?.GetService<IEnumerable<SalesforceSharedTokenStore>>()?.LastOrDefault();
                store?.AddInvalidationHandler(_onInvalidated);
                _store = store;
                if (store is not null)
                {
                    _activityTimer = _storeClock.CreateTimer(static state => _ = ((SharedTokenCoordinator)state!).ShareActivityAsync(), this, ActivitySharePeriod, ActivitySharePeriod);
                }

                Volatile.Write(ref _resolved, true);
            }

            return _store;
        }
    }

    /// <summary>Gets a token for the entry: shared by another instance, or from <paramref name="exchange"/> (and then shared).</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="entry">The user's entry.</param>
    /// <param name="previous">The token being replaced (rejected, ending, or ended), if any: a shared token is taken only if it is newer.</param>
    /// <param name="rejected">Whether Salesforce rejected <paramref name="previous"/>: then never take it back, whatever activity the store knows of.</param>
    /// <param name="proactive">Whether this is a renewal ahead of the predicted end: a shared token must then not be ending either.</param>
    /// <param name="exchange">Logs in.</param>
    public async Task<Acquired> AcquireAsync(TokenConnection connection, TokenEntry entry, TokenState? previous, bool rejected, bool proactive, Func<Task<SalesforceToken>> exchange)
    {
        var store = GetStore();
        if (store is null)
        {
            var own = await exchange().ConfigureAwait(false);
            return new Acquired(own, own.AcquiredAt);
        }

        var entryId = EntryId(connection, entry.Username);
        Track(entryId, connection, entry);
        var wanted = new Wanted(previous?.Token, rejected ? null : previous?.Session?.LastRecordedActivity, proactive);
        var plan = await PlanAsync(store, entryId, connection, entry, wanted).ConfigureAwait(false);
        if (plan.Adopted is { } adopted)
        {
            _telemetry.SharedHits.Add(1);
            Log.SharedTokenAdopted(_logger, connection.Name, entry.Username);
            _stored[entry] = new Stored(adopted.Token.AccessToken, adopted.LastRecordedActivity, adopted.SessionTimeoutEvidence);
            return new Acquired(adopted.Token, adopted.LastRecordedActivity);
        }

        SalesforceToken token;
        try
        {
            token = await exchange().ConfigureAwait(false);
            if (plan.LockOwner is not null)
            {
                // What this instance knows of the session timeout goes with the token (it took in what the entry held).
                var evidence = connection.Sessions?.Share();
                var shared = new SalesforceSharedToken(token, token.AcquiredAt) { SessionTimeoutEvidence = evidence };
                var ttl = TimeToLive(SessionTimeout(connection), token.AcquiredAt, _timeProvider.GetUtcNow());
                var replaced = await TryCallAsync(store, connection, entry, "share the new token",
                    ct => store.ReplaceIfCurrentAsync(entryId, plan.Seen?.Token, shared, ttl, ct)).ConfigureAwait(false);
                Log.SharedTokenPublished(_logger, connection.Name, entry.Username,
                    replaced.Ok ? (replaced.Value ? "shared" : "another instance shared one first; kept this one here") : "failed");
                if (replaced is { Ok: true, Value: true })
                {
                    _stored[entry] = new Stored(token.AccessToken, token.AcquiredAt, evidence);
                }
            }
        }
        finally
        {
            if (plan.LockOwner is { } owner)
            {
                await TryCallAsync(store, connection, entry, "release the login lock",
                    async ct => { await store.ReleaseLockAsync(entryId, owner, ct).ConfigureAwait(false); return true; }).ConfigureAwait(false);
            }
        }

        return new Acquired(token, token.AcquiredAt);
    }

    /// <summary>A token to take, or the lock (with what the entry held under it), or neither: log in alone.</summary>
    private readonly record struct Plan(SalesforceSharedToken? Adopted, string? LockOwner, SalesforceSharedToken? Seen);

    /// <summary>What the caller is replacing, and what it would take instead of a login.</summary>
    /// <param name="Previous">The token being replaced.</param>
    /// <param name="PreviousActivity">Its last recorded activity here, when it may be kept on later activity another instance recorded.</param>
    /// <param name="Proactive">Whether the replacement is ahead of the predicted end.</param>
    private readonly record struct Wanted(SalesforceToken? Previous, DateTimeOffset? PreviousActivity, bool Proactive);

    private async Task<Plan> PlanAsync(SalesforceSharedTokenStore store, string entryId, TokenConnection connection, TokenEntry entry, Wanted wanted)
    {
        var read = await ReadAsync(store, entryId, connection, entry).ConfigureAwait(false);
        if (!read.Ok)
        {
            return default;
        }

        if (IsUsable(read.Value, wanted, connection))
        {
            return new Plan(read.Value, null, null);
        }

        _telemetry.SharedMisses.Add(1);

        // The lock outlives one whole exchange, so that nobody else logs in while its holder still might succeed.
        var lease = connection.Options.TokenRequestTimeout + store.OperationTimeout + store.OperationTimeout;
        var waitStarted = _storeClock.GetTimestamp();
        var counted = false;
        var poll = s_firstPoll;
        while (true)
        {
            var locked = await TryCallAsync(store, connection, entry, "take the login lock", ct => store.TryAcquireLockAsync(entryId, lease, ct)).ConfigureAwait(false);
            if (!locked.Ok)
            {
                return default;
            }

            if (locked.Value is { } owner)
            {
                // Another instance may have shared a token between the read and the lock.
                var again = await ReadAsync(store, entryId, connection, entry).ConfigureAwait(false);
                if (again.Ok && IsUsable(again.Value, wanted, connection))
                {
                    await TryCallAsync(store, connection, entry, "release the login lock",
                        async ct => { await store.ReleaseLockAsync(entryId, owner, ct).ConfigureAwait(false); return true; }).ConfigureAwait(false);
                    return new Plan(again.Value, null, null);
                }

                if (again.Ok)
                {
                    return new Plan(null, owner, again.Value);
                }

                // Unreadable: share nothing over an entry we could not see.
                await TryCallAsync(store, connection, entry, "release the login lock",
                    async ct => { await store.ReleaseLockAsync(entryId, owner, ct).ConfigureAwait(false); return true; }).ConfigureAwait(false);
                return default;
            }

            if (!counted)
            {
                counted = true;
                _telemetry.SharedLockWaits.Add(1);
            }

            var waited = _storeClock.GetElapsedTime(waitStarted);
            if (waited >= store.LockWaitTimeout)
            {
                _telemetry.SharedFallbacks.Add(1, new KeyValuePair<string, object?>("reason", "lock_wait_timeout"));
                Log.SharedLockWaitTimedOut(_logger, connection.Name, entry.Username, store.LockWaitTimeout.TotalSeconds);
                return default;
            }

            await DelayAsync(Min(poll, store.LockWaitTimeout - waited)).ConfigureAwait(false);
            poll = Min(poll + poll, s_lastPoll);
            var shared = await ReadAsync(store, entryId, connection, entry).ConfigureAwait(false);
            if (!shared.Ok)
            {
                return default;
            }

            if (IsUsable(shared.Value, wanted, connection))
            {
                return new Plan(shared.Value, null, null);
            }
        }
    }

    /// <summary>
    /// Reads the entry, bounded like every store call, and takes in what the instance that wrote it knew of the session
    /// timeout: every read of the shared entry (all on the slow path) spreads the fleet's estimate.
    /// </summary>
    private async Task<Outcome<SalesforceSharedToken?>> ReadAsync(SalesforceSharedTokenStore store, string entryId, TokenConnection connection, TokenEntry entry)
    {
        var read = await TryCallAsync(store, connection, entry, "read the shared token", ct => store.GetAsync(entryId, ct)).ConfigureAwait(false);
        if (read.Value?.SessionTimeoutEvidence is { } evidence && connection.Sessions is { } sessions && sessions.Adopt(evidence))
        {
            Log.SessionTimeoutAdopted(_logger, connection.Name, SessionTimeoutEstimates.For(connection.Options.SessionTimeout, sessions).ToString());
        }

        return read;
    }

    /// <summary>The timeout the connection predicts session ends by: configured, else read or learned; null while unknown.</summary>
    private static TimeSpan? SessionTimeout(TokenConnection connection) =>
        connection.Options.SessionTimeout
        ?? (connection.Sessions?.PredictionTicks is > 0 and var ticks ? TimeSpan.FromTicks(ticks) : null);

    /// <summary>
    /// Whether a shared token may be used instead of a login: it is newer than the token being replaced (an older one
    /// may be a session that already ended), or it is that same token, not rejected, with later activity recorded by
    /// another instance; and it is not past (or, for a renewal, near) its predicted end.
    /// </summary>
    private bool IsUsable(SalesforceSharedToken? shared, Wanted wanted, TokenConnection connection)
    {
        var sessionTimeout = SessionTimeout(connection);
        if (shared is null)
        {
            return false;
        }

        var token = shared.Token;
        var proactive = wanted.Proactive;
        if (wanted.Previous is { } previous)
        {
            if (string.Equals(token.AccessToken, previous.AccessToken, StringComparison.Ordinal))
            {
                if (wanted.PreviousActivity is not { } mine || shared.LastRecordedActivity <= mine || sessionTimeout is null)
                {
                    return false;
                }
            }
            else if (token.AcquiredAt <= previous.AcquiredAt)
            {
                return false;
            }
        }

        var now = _timeProvider.GetUtcNow();
        DateTimeOffset? end = token.ExpiresAt;
        var margin = TimeSpan.Zero;
        if (sessionTimeout is { } timeout)
        {
            var sessionEnd = shared.LastRecordedActivity + timeout;
            end = end is { } expires && expires < sessionEnd ? expires : sessionEnd;
            margin = TimeSpan.FromTicks(Math.Min(SalesforceJwtDefaults.ProactiveRefreshMargin.Ticks, timeout.Ticks / 10));
        }
        else if (end is not null)
        {
            margin = SalesforceJwtDefaults.ProactiveRefreshMargin;
        }

        return end is not { } last || last - now > (proactive ? margin : TimeSpan.Zero);
    }

    /// <summary>
    /// How long a new entry is kept: until the session's predicted end by the configured, read or learned timeout (a
    /// learned one is the smallest that fits, so never past the real end), never longer (see <see cref="UnknownSessionEntryLifetime"/>).
    /// </summary>
    internal static TimeSpan TimeToLive(TimeSpan? sessionTimeout, DateTimeOffset lastActivity, DateTimeOffset now)
    {
        var life = sessionTimeout ?? UnknownSessionEntryLifetime;
        var left = lastActivity + life - now;
        return left > TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1);
    }

    /// <summary>
    /// The entry id: a hex SHA-256 of what makes a token (login URL, consumer key, username, audience), so two users,
    /// orgs, apps or audiences never share an entry, and nothing in the store's key names is readable.
    /// </summary>
    internal static string EntryId(TokenConnection connection, string username)
    {
        var options = connection.Options;
        var identity = string.Join("|",
            SalesforceTokenClient.TokenEndpoint(options.LoginUrl).AbsoluteUri,
            options.ConsumerKey,
            username.Trim().ToLowerInvariant(),
            connection.Audience);
        return SalesforceSharedTokenStore.HexSha256(identity);
    }

    private void Track(string entryId, TokenConnection connection, TokenEntry entry)
    {
        var tracked = new Tracked(connection, entry);
        _tracked.AddOrUpdate(entryId, [tracked], (_, existing) =>
            existing.Any(t => ReferenceEquals(t.Entry, entry)) ? existing : [.. existing.Where(t => t.Entry.Current is not null || t.Entry.Pending is not null), tracked]);
    }

    /// <summary>Another instance replaced a token: drop it here if it is ours, so the next request takes the new one from the store.</summary>
    private void OnInvalidated(string entryId, string fingerprint)
    {
        if (!_tracked.TryGetValue(entryId, out var tracked))
        {
            return;
        }

        foreach (var (connection, entry) in tracked)
        {
            lock (entry.Lock)
            {
                if (entry.Current is { } current && string.Equals(SalesforceSharedTokenStore.TokenFingerprint(current.Token), fingerprint, StringComparison.Ordinal))
                {
                    entry.Current = null;
                    Log.SharedTokenInvalidated(_logger, connection.Name, entry.Username);
                }
            }
        }
    }

    private readonly record struct Tracked(TokenConnection Connection, TokenEntry Entry);

    /// <summary>The token of an entry as the store holds it, with the activity and the session-timeout evidence it carries.</summary>
    private readonly record struct Stored(string AccessToken, DateTimeOffset Activity, string? Evidence)
    {
        // A record's generated ToString would print the token.
        public override string ToString() => $"Stored {{ AccessToken = [redacted], Activity = {Activity:O} }}";
    }

    /// <summary>
    /// Writes the activity recorded here into the store's copy of the token, when the session moved since, so that
    /// every instance predicts the session's end from the latest activity any of them saw. Only into that same token
    /// (compare-and-swap), and only to move it later.
    /// </summary>
    private async Task ShareActivityAsync()
    {
        if (_store is not { } store || Interlocked.Exchange(ref _sharingActivity, 1) == 1)
        {
            return;
        }

        try
        {
            var now = _timeProvider.GetUtcNow();
            foreach (var pair in _tracked)
            {
                // Entries the provider has dropped (idle, or evicted and since unused) are forgotten here too.
                if (pair.Value.All(t => now - t.Entry.LastUsed > t.Connection.IdleTime))
                {
                    ((ICollection<KeyValuePair<string, Tracked[]>>)_tracked).Remove(pair);
                    foreach (var t in pair.Value)
                    {
                        _stored.TryRemove(t.Entry, out _);
                    }

                    continue;
                }

                foreach (var (connection, entry) in pair.Value)
                {
                    if (entry.Current is not { } state || !_stored.TryGetValue(entry, out var stored)
                        || !string.Equals(stored.AccessToken, state.Token.AccessToken, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    // Written when the session moved, or when what this instance knows of the timeout differs from the entry's.
                    var activity = state.Session?.LastRecordedActivity is { } recorded && recorded > stored.Activity ? recorded : stored.Activity;
                    var evidence = connection.Sessions?.Share();
                    if (activity <= stored.Activity && (evidence is null || string.Equals(evidence, stored.Evidence, StringComparison.Ordinal)))
                    {
                        continue;
                    }

                    _stored[entry] = new Stored(stored.AccessToken, activity, evidence);
                    var entryId = pair.Key;
                    var read = await ReadAsync(store, entryId, connection, entry).ConfigureAwait(false);
                    if (read.Value is not { } shared || !string.Equals(shared.Token.AccessToken, state.Token.AccessToken, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    // The read took in the entry's evidence: what is written holds both instances' knowledge.
                    evidence = connection.Sessions?.Share();
                    var later = shared.LastRecordedActivity >= activity ? shared.LastRecordedActivity : activity;
                    if (later == shared.LastRecordedActivity && (evidence is null || string.Equals(evidence, shared.SessionTimeoutEvidence, StringComparison.Ordinal)))
                    {
                        _stored[entry] = new Stored(stored.AccessToken, later, shared.SessionTimeoutEvidence);
                        continue;
                    }

                    _stored[entry] = new Stored(stored.AccessToken, later, evidence);
                    var ttl = TimeToLive(SessionTimeout(connection), later, now);
                    await TryCallAsync(store, connection, entry, "share the session's activity",
                        ct => store.ReplaceIfCurrentAsync(entryId, shared.Token, new SalesforceSharedToken(shared.Token, later) { SessionTimeoutEvidence = evidence }, ttl, ct)).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            Volatile.Write(ref _sharingActivity, 0);
        }
    }

    private readonly record struct Outcome<T>(bool Ok, T Value);

    /// <summary>One store call, bounded by the store's timeout; a failure or timeout is logged, counted and reported as not Ok.</summary>
    private async Task<Outcome<T>> TryCallAsync<T>(SalesforceSharedTokenStore store, TokenConnection connection, TokenEntry entry, string operation, Func<CancellationToken, ValueTask<T>> call)
    {
        using var deadline = TimeProviderTimeout.Create(_storeClock, store.OperationTimeout);
        Task<T>? task = null;
        try
        {
            task = call(deadline.Token).AsTask();
            return new Outcome<T>(true, await task.WaitAsync(deadline.Token).ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            // A call abandoned on timeout may still fail later; its exception is observed, not left to the finalizer.
            _ = task?.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            var reason = deadline.IsCancellationRequested && ex is OperationCanceledException
                ? $"no answer within {store.OperationTimeout.TotalMilliseconds:0} ms"
                : $"{ex.GetType().Name}: {ex.Message}";
            _telemetry.SharedFallbacks.Add(1, new KeyValuePair<string, object?>("reason", deadline.IsCancellationRequested ? "timeout" : "error"));
            Log.SharedStoreFailed(_logger, operation, connection.Name, entry.Username, reason);
            return default;
        }
    }

    private Task DelayAsync(TimeSpan delay) =>
#if NET8_0_OR_GREATER
        Task.Delay(delay, _storeClock);
#else
        _storeClock.Delay(delay);
#endif

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    public void Dispose()
    {
        lock (_storeLock)
        {
            _activityTimer?.Dispose();
            _store?.RemoveInvalidationHandler(_onInvalidated);
        }
    }
}
