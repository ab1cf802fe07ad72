using Microsoft.Extensions.Logging;

namespace SalesforceJwt.StackExchangeRedis.Internal;

/// <summary>Log messages of the Redis token store (event ids 410-429). None carries a token or a username.</summary>
internal static partial class Log
{
    [LoggerMessage(410, LogLevel.Debug, "Could not subscribe to the Redis channel {Channel} of token replacements yet: {Reason}. Instances still move to a new token on their own rejection; the subscription is tried again on the next call", EventName = "RedisSubscribeFailed")]
    public static partial void SubscribeFailed(ILogger logger, string channel, string reason);

    [LoggerMessage(412, LogLevel.Information, "Connected to Redis for shared Salesforce tokens ({Endpoints}); tokens are {Protection}", EventName = "RedisConnected")]
    public static partial void Connected(ILogger logger, string endpoints, string protection);
}
