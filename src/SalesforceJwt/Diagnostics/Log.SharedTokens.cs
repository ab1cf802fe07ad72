using Microsoft.Extensions.Logging;

namespace SalesforceJwt.Diagnostics;

/// <summary>Messages of the shared token store's use by the provider (event ids 400-409).</summary>
internal static partial class Log
{
    [LoggerMessage(400, LogLevel.Warning, "The shared token store could not {Operation} for connection {Connection}, user {Username}; this instance goes on with a token of its own: {Reason}", EventName = "SharedStoreFailed")]
    public static partial void SharedStoreFailed(ILogger logger, string operation, string connection, string username, string reason);

    [LoggerMessage(401, LogLevel.Debug, "Took the token of connection {Connection}, user {Username} from the shared token store instead of logging in", EventName = "SharedTokenAdopted")]
    public static partial void SharedTokenAdopted(ILogger logger, string connection, string username);

    [LoggerMessage(402, LogLevel.Debug, "Shared the new token of connection {Connection}, user {Username} with the other instances: {Outcome}", EventName = "SharedTokenPublished")]
    public static partial void SharedTokenPublished(ILogger logger, string connection, string username, string outcome);

    [LoggerMessage(403, LogLevel.Warning, "Another instance held the login lock of connection {Connection}, user {Username} for more than {WaitSeconds} s without sharing a token; this instance logs in on its own", EventName = "SharedLockWaitTimedOut")]
    public static partial void SharedLockWaitTimedOut(ILogger logger, string connection, string username, double waitSeconds);

    [LoggerMessage(404, LogLevel.Debug, "Another instance replaced the token of connection {Connection}, user {Username}; dropped it here, the next request takes the new one", EventName = "SharedTokenInvalidated")]
    public static partial void SharedTokenInvalidated(ILogger logger, string connection, string username);
}
