using System.Collections.Concurrent;
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

    public SalesforceTokenProvider(
        IOptionsMonitor<SalesforceJwtOptions> options,
        SalesforceTokenClient client,
        TimeProvider timeProvider,
        ILogger<SalesforceTokenProvider> logger)
    {
        _options = options;
        _client = client;
        _timeProvider = timeProvider;
        _logger = logger;
        _changeSubscription = options.OnChange((_, name) => Retire(name ?? Options.DefaultName));
    }

    public ValueTask<SalesforceToken> GetTokenAsync(string connectionName, SalesforceTokenRequest? request = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connectionName);
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);

        var connection = GetConnection(connectionName);
        var username = string.IsNullOrWhiteSpace(request?.Username) ? connection.Options.Username! : request.Username;
        var slot = connection.Slots.GetOrAdd(username, static _ => new TokenSlot());

        TaskCompletionSource<SalesforceToken>? owner = null;
        Task<SalesforceToken> pending;
        lock (slot.Lock)
        {
            var current = slot.Current;
            var rejected = request?.RejectedToken;
            if (slot.Pending is null && current is not null && !IsSameToken(current, rejected))
            {
                return ValueTask.FromResult(current);
            }

            if (slot.Pending is null)
            {
                // The rejected token must not be handed out again while its replacement is on the way or if it fails.
                if (current is not null && IsSameToken(current, rejected))
                {
                    slot.Current = null;
                }

                owner = new TaskCompletionSource<SalesforceToken>(TaskCreationOptions.RunContinuationsAsynchronously);
                slot.Pending = owner.Task;
            }

            pending = slot.Pending;
        }

        if (owner is not null)
        {
            _ = RunExchangeAsync(connection, connectionName, username, slot, owner);
        }

        // Only this caller's wait ends on cancellation; the exchange goes on for the others.
        return new ValueTask<SalesforceToken>(pending.WaitAsync(cancellationToken));
    }

    private static bool IsSameToken(SalesforceToken current, SalesforceToken? rejected) =>
        rejected is not null && string.Equals(current.AccessToken, rejected.AccessToken, StringComparison.Ordinal);

    private async Task RunExchangeAsync(Connection connection, string connectionName, string username, TokenSlot slot, TaskCompletionSource<SalesforceToken> owner)
    {
        try
        {
            var token = await ExchangeWithAudienceFallbackAsync(connection, connectionName, username).ConfigureAwait(false);
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
            }

            owner.SetException(ex);
        }
    }

    private async Task<SalesforceToken> ExchangeWithAudienceFallbackAsync(Connection connection, string connectionName, string username)
    {
        var audience = connection.Audience;
        try
        {
            return await ExchangeAsync(connection, connectionName, username, audience).ConfigureAwait(false);
        }
        catch (SalesforceAuthenticationException ex) when (
            ex.Code is SalesforceErrorCode.InvalidAudience or SalesforceErrorCode.AppNotFound
            && connection.FallbackAudience is { } fallback
            && !string.Equals(fallback, audience, StringComparison.Ordinal))
        {
            Log.AudienceFallback(_logger, connectionName, audience, fallback);
            var token = await ExchangeAsync(connection, connectionName, username, fallback).ConfigureAwait(false);

            // Keep what worked, as the Salesforce CLI does, so later logins do not pay for the failed attempt.
            connection.Audience = fallback;
            connection.FallbackAudience = null;
            return token;
        }
    }

    private async Task<SalesforceToken> ExchangeAsync(Connection connection, string connectionName, string username, string audience)
    {
        var options = connection.Options;
        var tokenEndpoint = SalesforceTokenClient.TokenEndpoint(options.LoginUrl);
        Log.TokenRequesting(_logger, connectionName, username, tokenEndpoint, audience);
        var started = _timeProvider.GetTimestamp();
        try
        {
            var assertion = connection.Builder.Build(options.ConsumerKey!, username, audience, options.AssertionLifetime);
            var token = await _client.RequestTokenAsync(options.LoginUrl, assertion, username, _disposed.Token).ConfigureAwait(false);
            Log.TokenAcquired(_logger, connectionName, username, token.InstanceUrl.Host, token.OrganizationId,
                _timeProvider.GetElapsedTime(started).TotalSeconds);
            return token;
        }
        catch (SalesforceJwtException ex)
        {
            Log.TokenRequestFailed(_logger, connectionName, username, ex.Code, ex.Message);
            throw;
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
            }

            return connection;
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

    private sealed class Connection(SalesforceJwtOptions options, SigningKey key, TimeProvider timeProvider)
    {
        private string _audience = AudienceChoice.For(options).Primary;
        private string? _fallbackAudience = AudienceChoice.For(options).Fallback;

        public SalesforceJwtOptions Options { get; } = options;

        public SigningKey Key { get; } = key;

        public JwtAssertionBuilder Builder { get; } = new(key.Rsa, timeProvider);

        public ConcurrentDictionary<string, TokenSlot> Slots { get; } = new(StringComparer.Ordinal);

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
    }
}
