using StackExchange.Redis;

namespace SalesforceJwt.StackExchangeRedis;

/// <summary>How the instances of an app share their Salesforce tokens through Redis.</summary>
public sealed class SalesforceJwtRedisOptions
{
    /// <summary>Gets or sets the StackExchange.Redis configuration string, such as <c>"redis.internal:6379,password=…,ssl=true"</c>.</summary>
    /// <value>No default: set this or <see cref="ConnectionMultiplexerFactory"/>. Connect and command timeouts in it are capped at <see cref="OperationTimeout"/>.</value>
    public string? Configuration { get; set; }

    /// <summary>Gets or sets a factory for a connection the app already has; used instead of <see cref="Configuration"/>, and never disposed by this package.</summary>
    /// <value><see langword="null"/> by default. Give the connection <c>abortConnect=false</c> so that it reconnects when Redis returns.</value>
    public Func<Task<IConnectionMultiplexer>>? ConnectionMultiplexerFactory { get; set; }

    /// <summary>Gets or sets the prefix of every Redis key and channel this package uses, to keep apps sharing one Redis apart.</summary>
    /// <value><c>salesforcejwt:</c> by default. Entry keys follow it as <c>token:{sha256}</c> and <c>lock:{sha256}</c>.</value>
    public string KeyPrefix { get; set; } = "salesforcejwt:";

    /// <summary>Gets or sets the longest any one Redis call may take before the instance goes on without Redis and logs in on its own.</summary>
    /// <value>1 second by default; more than zero, at most 1 minute.</value>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how long an instance waits for the token that another instance is fetching under the login lock, before it logs in on its own.</summary>
    /// <value>10 seconds by default; more than zero, at most 5 minutes.</value>
    public TimeSpan LockWaitTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gets or sets a value indicating whether tokens are encrypted with ASP.NET Core Data Protection before they are
    /// written to Redis. Turn it off only if Redis is as trusted as a secret store: anyone who can read it can then call
    /// Salesforce as your integration user.
    /// </summary>
    /// <value><see langword="true"/> by default, which needs an <c>IDataProtectionProvider</c> whose key ring every instance shares.</value>
    public bool ProtectTokens { get; set; } = true;
}
