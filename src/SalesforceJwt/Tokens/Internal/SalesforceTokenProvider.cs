using SalesforceJwt.Internal;
using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SalesforceJwt.Assertions.Internal;
using SalesforceJwt.Diagnostics;

namespace SalesforceJwt.Tokens.Internal;

/// <summary>
/// Caches one token per connection and user, and runs one exchange at a time for each: every caller that finds no
/// usable token waits on the same exchange, so a burst of requests or of 401s costs Salesforce one login.
/// </summary>
internal sealed class SalesforceTokenProvider : ISalesforceTokenProvider, IDisposable
{
    private readonly IOptionsMonitor<SalesforceJwtOptions> _options;
    private readonly SalesforceTokenClient _client;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Dictionary<string, Connection> _connections = new(StringComparer.Ordinal);
    private readonly List<Connection> _retired = [];
    private readonly object _connectionsLock = new();
    private readonly CancellationTokenSource _disposed = new();
    private readonly IDisposable? _changeSubscription;

    private readonly SalesforceJwtTelemetry _telemetry;

    public SalesforceTokenProvider(
        IOptionsMonitor<SalesforceJwtOptions> options,
        SalesforceTokenClient client,
        TimeProvider timeProvider,
        SalesforceJwtTelemetry telemetry,
        ILogger<SalesforceTokenProvider> logger)
    {
        _options = options;
        _client = client;
        _timeProvider = timeProvider;
        _telemetry = telemetry;
        _logger = logger;
        _changeSubscription = options.OnChange((_, name) => Retire(name ?? Options.DefaultName));
        telemetry.ObservePausedCount(CountPaused);
    }

    private int CountPaused()
    {
        var now = _timeProvider.GetUtcNow();
        lock (_connectionsLock)
        {
            return _connections.Values.SelectMany(c => c.Slots.Values).Count(slot => slot.PausedUntil > now);
        }
    }

    public ValueTask<SalesforceToken> GetTokenAsync(string connectionName, SalesforceTokenRequest? request = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(connectionName);
        Guard.NotDisposed(_disposed.IsCancellationRequested, this);

        var connection = GetConnection(connectionName);
        // Salesforce usernames are case-insensitive: one cache entry and one login for every spelling of a user.
        var username = (request?.Username is { } requested && !string.IsNullOrWhiteSpace(requested) ? requested : connection.Options.Username!).Trim();
        var slot = connection.Slots.GetOrAdd(username, static _ => new TokenSlot());
        var rejected = request?.RejectedToken;

        Task<SalesforceToken> pending;
        lock (slot.Lock)
        {
            var now = _timeProvider.GetUtcNow();
            var current = slot.Current;
            if (slot.Pending is null && current is not null && !IsSameToken(current, rejected) && !IsEnding(current, now))
            {
                return new ValueTask<SalesforceToken>(current);
            }

            if (slot.Pending is not null)
            {
                _telemetry.SharedWaits.Add(1);
            }
            else
            {
                // While paused, a token about to end is still better than a fast failure.
                if (slot.PausedUntil > now && current is not null && !IsSameToken(current, rejected))
                {
                    return new ValueTask<SalesforceToken>(current);
                }

                ThrowIfPaused(connection, connectionName, slot, current, rejected, now);
                if (!slot.TryCountLogin(now, connection.Options.MaxLoginsPerHour, out var budgetResumes))
                {
                    if (current is not null && !IsSameToken(current, rejected))
                    {
                        // A proactive renewal can wait: the current token still works.
                        return new ValueTask<SalesforceToken>(current);
                    }

                    Log.LoginBudgetExhausted(_logger, connectionName, username, connection.Options.MaxLoginsPerHour, budgetResumes);
                    _telemetry.PausesOpened.Add(1, new KeyValuePair<string, object?>("reason", nameof(SalesforceErrorCode.LoginBudgetExhausted)));
                    throw new SalesforceReauthenticationPausedException(SalesforceErrorCode.LoginBudgetExhausted, budgetResumes,
                        $"Token requests for connection '{connectionName}', user {username} are paused until {budgetResumes:u}: it made " +
                        $"{connection.Options.MaxLoginsPerHour} logins in the last hour (MaxLoginsPerHour). Something defeats every new token; " +
                        "see the earlier errors. Salesforce itself allows 3,600 logins per user per hour.", null);
                }

                if (current is not null && !IsSameToken(current, rejected))
                {
                    // Still valid, but its session (or JWT exp) ends within the margin.
                    _telemetry.Reauthentications.Add(1, new KeyValuePair<string, object?>("reason", "proactive"));
                    Log.ProactiveRenewal(_logger, connectionName, username);
                }

                // The rejected token must not be handed out again while its replacement is on the way or if it fails.
                var isRenewal = current is not null && IsSameToken(current, rejected);
                if (isRenewal)
                {
                    slot.Current = null;
                }

                var owner = new TaskCompletionSource<SalesforceToken>(TaskCreationOptions.RunContinuationsAsynchronously);
                slot.Pending = owner.Task;

                // Every waiter may have cancelled by the time the exchange fails; the failure is still observed.
                owner.Task.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
                    TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                var exchange = (connection, connectionName, username, slot, owner, isRenewal);

                // On the thread pool, not the caller's context: the exchange belongs to every waiter.
                _ = Task.Run(() => RunExchangeAsync(exchange.connection, exchange.connectionName, exchange.username, exchange.slot, exchange.owner, exchange.isRenewal), CancellationToken.None);
            }

            pending = slot.Pending;
        }

        // Only this caller's wait ends on cancellation; the exchange goes on for the others.
        return new ValueTask<SalesforceToken>(pending.WaitAsync(cancellationToken));
    }

    /// <summary>
    /// A token whose session (or JWT exp) is about to end is renewed before anyone gets a 401 for it, but never sooner
    /// than <see cref="SalesforceJwtDefaults.MinimumRenewalAge"/> after it was issued: a token that looks short-lived
    /// (a short JWT exp, a clock ahead of Salesforce's) costs one login per that age, not one per request.
    /// </summary>
    private static bool IsEnding(SalesforceToken token, DateTimeOffset now)
    {
        if (now - token.AcquiredAt < SalesforceJwtDefaults.MinimumRenewalAge)
        {
            return false;
        }

        var margin = SalesforceJwtDefaults.ProactiveRefreshMargin;
        if (token.ExpiresAt is { } expires && expires - now <= margin)
        {
            return true;
        }

        // A tenth of a short timeout, so that the margin never swallows the whole session.
        return token.Session is { } session
            && session.PredictedEnd - now <= TimeSpan.FromTicks(Math.Min(margin.Ticks, session.Timeout.Ticks / 10));
    }

    /// <summary>Fails fast instead of spending a login while the slot is paused, and opens the pause when a brand-new token is rejected.</summary>
    private void ThrowIfPaused(Connection connection, string connectionName, TokenSlot slot, SalesforceToken? current, SalesforceToken? rejected, DateTimeOffset now)
    {
        if (slot.PausedUntil is { } until)
        {
            if (now < until)
            {
                throw new SalesforceReauthenticationPausedException(slot.PauseCode, until,
                    $"Token requests for connection '{connectionName}' are paused until {until:u} ({slot.PauseReason}).", slot.PauseCause);
            }

            slot.PausedUntil = null;
            Log.ReauthenticationResumed(_logger, connectionName, slot.PauseCode);
        }

        // A token issued to replace a rejected one, rejected in turn before Salesforce accepted it even once: another
        // login would get the same answer. Pause once per such token, so a fixed configuration recovers by itself.
        var pause = connection.Options.ReauthenticationPause;
        if (current is not null && rejected is not null && IsSameToken(current, rejected)
            && current.IsRenewal && current.SuccessfulUses == 0 && pause > TimeSpan.Zero
            && !string.Equals(slot.PausedForToken, current.AccessToken, StringComparison.Ordinal))
        {
            slot.PausedForToken = current.AccessToken;
            Pause(slot, now + pause, SalesforceErrorCode.SessionRejectedAfterRenewal,
                "Salesforce rejected a token it had just issued; see the previous SalesforceSessionException for the likely causes", cause: null);
            Log.ReauthenticationPaused(_logger, connectionName, slot.PauseReason!, pause.TotalSeconds);
            throw new SalesforceReauthenticationPausedException(slot.PauseCode, slot.PausedUntil!.Value,
                $"Token requests for connection '{connectionName}' are paused for {pause.TotalSeconds:0} s: {slot.PauseReason}. " +
                "A new login would get the same answer until the cause is fixed in Salesforce.", null);
        }
    }

    private void Pause(TokenSlot slot, DateTimeOffset until, SalesforceErrorCode code, string reason, Exception? cause)
    {
        _telemetry.PausesOpened.Add(1, new KeyValuePair<string, object?>("reason", code.ToString()));
        slot.PausedUntil = until;
        slot.PauseCode = code;
        slot.PauseReason = reason;
        slot.PauseCause = cause;
    }

    private static bool IsSameToken(SalesforceToken current, SalesforceToken? rejected) =>
        rejected is not null && string.Equals(current.AccessToken, rejected.AccessToken, StringComparison.Ordinal);

    private async Task RunExchangeAsync(Connection connection, string connectionName, string username, TokenSlot slot, TaskCompletionSource<SalesforceToken> owner, bool isRenewal)
    {
        try
        {
            var context = new SalesforceTokenClient.TokenContext(username, connection.Options.SessionTimeout, isRenewal, connection.Options.TokenRequestTimeout);
            var token = await ExchangeWithAudienceFallbackAsync(connection, connectionName, slot, context).ConfigureAwait(false);
            lock (slot.Lock)
            {
                slot.Current = token;
                slot.Pending = null;
            }

            owner.SetResult(token);
        }
        catch (Exception ex)
        {
            lock (slot.Lock)
            {
                slot.Pending = null;
                var pause = connection.Options.LoginRateLimitPause;
                if (ex is SalesforceJwtException { Code: SalesforceErrorCode.LoginRateExceeded } && pause > TimeSpan.Zero)
                {
                    Pause(slot, _timeProvider.GetUtcNow() + pause, SalesforceErrorCode.LoginRateExceeded,
                        "Salesforce answered 'login rate exceeded': this user made more than 3,600 logins in the last hour", ex);
                    Log.ReauthenticationPaused(_logger, connectionName, slot.PauseReason!, pause.TotalSeconds);
                }
            }

            owner.SetException(ex);
        }
    }

    private async Task<SalesforceToken> ExchangeWithAudienceFallbackAsync(Connection connection, string connectionName, TokenSlot slot, SalesforceTokenClient.TokenContext context)
    {
        var audience = connection.Audience;
        try
        {
            return await ExchangeAsync(connection, connectionName, context, audience).ConfigureAwait(false);
        }
        catch (SalesforceAuthenticationException ex) when (
            ex.Code is SalesforceErrorCode.InvalidAudience or SalesforceErrorCode.AppNotFound
            && connection.FallbackAudience is { } fallback
            && !string.Equals(fallback, audience, StringComparison.Ordinal)
            && CountFallbackLogin(connection, slot))
        {
            Log.AudienceFallback(_logger, connectionName, audience, fallback);
            var token = await ExchangeAsync(connection, connectionName, context, fallback).ConfigureAwait(false);

            // Keep what worked, as the Salesforce CLI does, so later logins do not pay for the failed attempt.
            connection.Audience = fallback;
            connection.FallbackAudience = null;
            return token;
        }
    }

    /// <summary>The fallback is a second login attempt: it spends the budget too, or is not made.</summary>
    private bool CountFallbackLogin(Connection connection, TokenSlot slot)
    {
        lock (slot.Lock)
        {
            return slot.TryCountLogin(_timeProvider.GetUtcNow(), connection.Options.MaxLoginsPerHour, out _);
        }
    }

    private async Task<SalesforceToken> ExchangeAsync(Connection connection, string connectionName, SalesforceTokenClient.TokenContext context, string audience)
    {
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
            var assertion = connection.Builder.Build(options.ConsumerKey!, username, audience, options.AssertionLifetime);
            var token = await _client.RequestTokenAsync(options.LoginUrl, assertion, context, _disposed.Token).ConfigureAwait(false);
            Log.TokenAcquired(_logger, connectionName, username, token.InstanceUrl.Host, token.OrganizationId,
                _timeProvider.GetElapsedTime(started).TotalSeconds);
            activity?.SetTag("salesforcejwt.instance", token.InstanceUrl.Host);
            return token;
        }
        catch (SalesforceJwtException ex)
        {
            outcome = ex.Code.ToString();
            activity?.SetStatus(ActivityStatusCode.Error, ex.Code.ToString());
            activity?.SetTag("error.type", ex.Code.ToString());
            Log.TokenRequestFailed(_logger, connectionName, username, ex.Code, ex.Message);
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

    private Connection GetConnection(string name)
    {
        lock (_connectionsLock)
        {
            if (!_connections.TryGetValue(name, out var connection))
            {
                // Get validates the options (OptionsValidationException names what is wrong); the key loads once per connection.
                var options = _options.Get(name);
                connection = new Connection(options, SigningKeyLoader.Load(options), _timeProvider);
                _connections.Add(name, connection);
                WarnIfCertificateEnding(name, connection.Key);
            }

            return connection;
        }
    }

    /// <summary>Salesforce does not enforce the certificate's dates (facts §7), so nothing else would ever say it lapsed.</summary>
    private void WarnIfCertificateEnding(string connectionName, SigningKey key)
    {
        if (key.Certificate is not { } certificate)
        {
            return;
        }

        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        var left = notAfter - _timeProvider.GetUtcNow();
        if (left < TimeSpan.FromDays(30))
        {
            Log.CertificateEnding(_logger, connectionName, certificate.Subject, certificate.Thumbprint, notAfter, Math.Floor(left.TotalDays));
        }
    }

    private void Retire(string name)
    {
        lock (_connectionsLock)
        {
            if (_connections.Remove(name, out var connection))
            {
                // Requests in flight may still sign with its key; it is disposed with the provider.
                _retired.Add(connection);
            }
        }
    }

    public void Dispose()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        _disposed.Cancel();
        _changeSubscription?.Dispose();
        lock (_connectionsLock)
        {
            foreach (var connection in _connections.Values.Concat(_retired))
            {
                connection.Key.Dispose();
            }

            _connections.Clear();
            _retired.Clear();
        }

        _disposed.Dispose();
    }

    private sealed class Connection
    {
        private string _audience;
        private string? _fallbackAudience;

        public Connection(SalesforceJwtOptions options, SigningKey key, TimeProvider timeProvider)
        {
            Options = options;
            Key = key;
            Builder = new JwtAssertionBuilder(key.Rsa, timeProvider);
            (_audience, _fallbackAudience) = AudienceChoice.For(options);
        }

        public SalesforceJwtOptions Options { get; }

        public SigningKey Key { get; }

        public JwtAssertionBuilder Builder { get; }

        public ConcurrentDictionary<string, TokenSlot> Slots { get; } = new(StringComparer.OrdinalIgnoreCase);

        public string Audience
        {
            get => Volatile.Read(ref _audience);
            set => Volatile.Write(ref _audience, value);
        }

        public string? FallbackAudience
        {
            get => Volatile.Read(ref _fallbackAudience);
            set => Volatile.Write(ref _fallbackAudience, value);
        }
    }

    private sealed class TokenSlot
    {
        public object Lock { get; } = new();

        public SalesforceToken? Current { get; set; }

        public Task<SalesforceToken>? Pending { get; set; }

        public DateTimeOffset? PausedUntil { get; set; }

        public SalesforceErrorCode PauseCode { get; set; }

        public string? PauseReason { get; set; }

        public Exception? PauseCause { get; set; }

        /// <summary>The brand-new token whose rejection opened the last pause; each such token pauses once.</summary>
        public string? PausedForToken { get; set; }

        /// <summary>When the logins of the last hour started, oldest first; at most the budget's size.</summary>
        private Queue<DateTimeOffset> Logins { get; } = new();

        /// <summary>Counts a login if the rolling hour has room for it; otherwise says when it will. Call under <see cref="Lock"/>.</summary>
        public bool TryCountLogin(DateTimeOffset now, int maxPerHour, out DateTimeOffset resumes)
        {
            var window = TimeSpan.FromHours(1);
            while (Logins.Count > 0 && now - Logins.Peek() >= window)
            {
                Logins.Dequeue();
            }

            if (Logins.Count >= maxPerHour)
            {
                resumes = Logins.Peek() + window;
                return false;
            }

            Logins.Enqueue(now);
            resumes = now;
            return true;
        }
    }
}
