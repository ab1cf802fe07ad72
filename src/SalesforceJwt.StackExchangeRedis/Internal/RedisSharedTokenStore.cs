using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SalesforceJwt.Internal;
using SalesforceJwt.Tokens;
using StackExchange.Redis;

namespace SalesforceJwt.StackExchangeRedis.Internal;

/// <summary>
/// The shared token store on Redis. Each entry is a hash at <c>{prefix}token:{entryId}</c> with the token's fingerprint
/// (<c>f</c>, a SHA-256 that reveals nothing) and the protected token (<c>v</c>), expiring with its session; the login
/// lock is <c>{prefix}lock:{entryId}</c> (SET NX PX with a random owner, released by compare-and-delete); a replacement
/// is one Lua script that swaps only the expected token and publishes <c>entryId|fingerprint</c> of the replaced one on
/// <c>{prefix}invalidated</c>. The connection fails fast while Redis is away and reconnects by itself.
/// </summary>
internal sealed class RedisSharedTokenStore : SalesforceSharedTokenStore, IDisposable
{
    /// <summary>The Data Protection purpose of shared tokens; a version change makes old entries unreadable, which costs one login.</summary>
    internal const string ProtectionPurpose = "SalesforceJwt.StackExchangeRedis.SharedToken.v1";

    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('DEL', KEYS[1])
        end
        return 0
        """;

    // KEYS[1] entry; ARGV: expected fingerprint ('' = none), new fingerprint, payload, ttl ms, channel, entry id.
    // An entry that expired since the caller read it is filled: nobody holds a token there any more. Writing the same
    // token again (newer activity) tells nobody to drop it.
    private const string ReplaceScript = """
        local current = redis.call('HGET', KEYS[1], 'f')
        if current and current ~= ARGV[1] then
          return 0
        end
        redis.call('HSET', KEYS[1], 'f', ARGV[2], 'v', ARGV[3])
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        if current and current ~= ARGV[2] then
          redis.call('PUBLISH', ARGV[5], ARGV[6] .. '|' .. current)
        end
        return 1
        """;

    private readonly SalesforceJwtRedisOptions _options;
    private readonly IDataProtector? _protector;
    private readonly ILogger _logger;
    private readonly RedisChannel _channel;
    private readonly object _connectLock = new();
    private Task<IConnectionMultiplexer>? _connecting;
    private bool _ownsConnection;
    private int _subscribed;
    private bool _disposed;

    public RedisSharedTokenStore(IOptions<SalesforceJwtRedisOptions> options, IServiceProvider services, ILogger<RedisSharedTokenStore> logger)
    {
        // Value runs the validator: without Data Protection (and ProtectTokens on) this throws with the lines to add.
        _options = options.Value;
        _logger = logger;
        if (_options.ProtectTokens)
        {
            var provider = services.GetService<IDataProtectionProvider>()
                ?? throw new InvalidOperationException(SalesforceJwtRedisOptionsValidator.DataProtectionMissing);
            _protector = provider.CreateProtector(ProtectionPurpose);
        }

        _channel = RedisChannel.Literal(_options.KeyPrefix + "invalidated");
    }

    public override TimeSpan OperationTimeout => _options.OperationTimeout;

    public override TimeSpan LockWaitTimeout => _options.LockWaitTimeout;

    /// <summary>The connection, once asked for; for tests that wait for a reconnection.</summary>
    internal Task<IConnectionMultiplexer>? Connection => Volatile.Read(ref _connecting);

    internal string TokenKey(string entryId) => _options.KeyPrefix + "token:" + entryId;

    internal string LockKey(string entryId) => _options.KeyPrefix + "lock:" + entryId;

    public override async ValueTask<SalesforceSharedToken?> GetAsync(string entryId, CancellationToken cancellationToken = default)
    {
        var database = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        var payload = await database.HashGetAsync(TokenKey(entryId), "v").ConfigureAwait(false);
        if (payload.IsNull)
        {
            return null;
        }

        try
        {
            var bytes = (byte[])payload!;
            return SharedTokenSerializer.Deserialize(_protector is null ? bytes : _protector.Unprotect(bytes));
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // Not a miss: writing over it would take the entry from instances that can read it.
            throw new InvalidOperationException(
                $"The shared token in Redis could not be read ({ex.GetType().Name}: {ex.Message}). If the instances do not share a Data Protection " +
                "key ring (AddDataProtection().SetApplicationName(...).PersistKeysTo...), or some have ProtectTokens off, they cannot read each other's tokens.", ex);
        }
    }

    public override async ValueTask<string?> TryAcquireLockAsync(string entryId, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        var database = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
#if NETSTANDARD2_0
        var owner = NetStandardPolyfills.RandomHex(16);
#else
        var owner = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
#endif
        return await database.StringSetAsync(LockKey(entryId), owner, lease, When.NotExists).ConfigureAwait(false) ? owner : null;
    }

    public override async ValueTask ReleaseLockAsync(string entryId, string ownerToken, CancellationToken cancellationToken = default)
    {
        var database = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        await database.ScriptEvaluateAsync(ReleaseScript, [LockKey(entryId)], [ownerToken]).ConfigureAwait(false);
    }

    public override async ValueTask<bool> ReplaceIfCurrentAsync(string entryId, SalesforceToken? expected, SalesforceSharedToken replacement, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(replacement);
        var database = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        var json = SharedTokenSerializer.Serialize(replacement);
        var payload = _protector is null ? json : _protector.Protect(json);
        var result = await database.ScriptEvaluateAsync(ReplaceScript, [TokenKey(entryId)],
        [
            expected is null ? string.Empty : Fingerprint(expected),
            Fingerprint(replacement.Token),
            payload,
            ((long)Math.Ceiling(timeToLive.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture),
            _options.KeyPrefix + "invalidated",
            entryId,
        ]).ConfigureAwait(false);
        return (int)result == 1;
    }

    private async Task<IDatabase> DatabaseAsync(CancellationToken cancellationToken)
    {
        var connection = await ConnectAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        if (Volatile.Read(ref _subscribed) == 0)
        {
            await SubscribeAsync(connection).ConfigureAwait(false);
        }

        return connection.GetDatabase();
    }

    /// <summary>Connects once; a connection that could not be made at all (a bad configuration string, a factory that threw) is tried again on the next call.</summary>
    private Task<IConnectionMultiplexer> ConnectAsync()
    {
        lock (_connectLock)
        {
            Guard.NotDisposed(_disposed, this);
            if (_connecting is null || _connecting.IsFaulted || _connecting.IsCanceled)
            {
                _connecting = CreateConnectionAsync();
            }

            return _connecting;
        }
    }

    private async Task<IConnectionMultiplexer> CreateConnectionAsync()
    {
        IConnectionMultiplexer connection;
        if (_options.ConnectionMultiplexerFactory is { } factory)
        {
            connection = await factory().ConfigureAwait(false);
        }
        else
        {
            var configuration = ConfigurationOptions.Parse(_options.Configuration!);

            // Redis must never hold a request up: fail at once while it is away, keep reconnecting in the background.
            var timeout = (int)Math.Ceiling(_options.OperationTimeout.TotalMilliseconds);
            configuration.AbortOnConnectFail = false;
            configuration.BacklogPolicy = BacklogPolicy.FailFast;
            configuration.ConnectTimeout = Math.Min(configuration.ConnectTimeout, timeout);
            configuration.AsyncTimeout = Math.Min(configuration.AsyncTimeout, timeout);
            configuration.SyncTimeout = Math.Min(configuration.SyncTimeout, timeout);
            connection = await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
            lock (_connectLock)
            {
                _ownsConnection = true;
            }
        }

        Log.Connected(_logger, string.Join(", ", connection.GetEndPoints().Select(e => e.ToString())), _protector is null ? "stored unencrypted (ProtectTokens is off)" : "encrypted with Data Protection");
        return connection;
    }

    private async Task SubscribeAsync(IConnectionMultiplexer connection)
    {
        try
        {
            // Registered subscriptions are restored by the connection after an outage.
            await connection.GetSubscriber().SubscribeAsync(_channel, (_, message) => OnMessage(message)).ConfigureAwait(false);
            Volatile.Write(ref _subscribed, 1);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Log.SubscribeFailed(_logger, _channel.ToString(), ex.Message);
        }
    }

    private void OnMessage(RedisValue message)
    {
        var text = (string?)message;
        var bar = text?.IndexOf('|', StringComparison.Ordinal) ?? -1;
        if (bar > 0 && bar < text!.Length - 1)
        {
            OnTokenInvalidated(text[..bar], text[(bar + 1)..]);
        }
    }

    public void Dispose()
    {
        Task<IConnectionMultiplexer>? connecting;
        bool owns;
        lock (_connectLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            connecting = _connecting;
            owns = _ownsConnection;
        }

        if (owns && connecting is { Status: TaskStatus.RanToCompletion })
        {
            connecting.Result.Dispose();
        }
    }
}
