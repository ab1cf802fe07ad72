using Microsoft.Extensions.Logging;

namespace SalesforceJwt.Diagnostics;

/// <summary>How the library knows when a session ends: the timeout read from Salesforce or learned from session ends.</summary>
internal static partial class Log
{
    [LoggerMessage(500, LogLevel.Information, "Salesforce session timeout of connection {Connection} is now {Timeout} ({Source}); the evidence allows {Lower} to {Upper}; it was {Previous}", EventName = "SessionTimeoutEstimated")]
    public static partial void SessionTimeoutEstimated(ILogger logger, string connection, string timeout, string source, string lower, string upper, string previous);

    [LoggerMessage(501, LogLevel.Information, "A Salesforce session of connection {Connection} ended {Idle} after its last recorded activity, sooner than every timeout the evidence allows ({Lower} to {Upper}): taken as a forced end (revoked, user deactivated or changed, IP lock); the estimate is kept", EventName = "SessionForcedEnd")]
    public static partial void SessionForcedEnd(ILogger logger, string connection, string idle, string lower, string upper);

    [LoggerMessage(502, LogLevel.Warning, "Salesforce sessions of connection {Connection} ended early twice in a way a shorter timeout explains: the session timeout was changed in Salesforce, and is now taken to be {Lower} to {Upper}", EventName = "SessionTimeoutChanged")]
    public static partial void SessionTimeoutChanged(ILogger logger, string connection, string lower, string upper);

    [LoggerMessage(503, LogLevel.Warning, "SessionTimeout of connection {Connection} is configured as {Configured}, but Salesforce ended sessions before it predicts more than once (the last {Idle} after its last recorded activity; observed timeout {Observed}). Set SessionTimeout to the org's or the connected app's value, or remove it to have it learned", EventName = "ConfiguredSessionTimeoutContradicted")]
    public static partial void ConfiguredSessionTimeoutContradicted(ILogger logger, string connection, string configured, string idle, string observed);

    [LoggerMessage(504, LogLevel.Information, "Connection {Connection} cannot read its session timeout from AuthSession ({Reason}); it is learned from how sessions end instead. Give the user Manage Users, or set ReadSessionTimeout to false", EventName = "SessionTimeoutReadRefused")]
    public static partial void SessionTimeoutReadRefused(ILogger logger, string connection, string reason);

    [LoggerMessage(505, LogLevel.Debug, "The session of connection {Connection}, user {Username}, passed its learned end; a look at it says {Outcome}", EventName = "SessionLookedAt")]
    public static partial void SessionLookedAt(ILogger logger, string connection, string username, string outcome);

    [LoggerMessage(530, LogLevel.Information, "Connection {Connection} took in what another instance of the fleet knows of the session timeout (through the shared token store): it is now {Timeout}", EventName = "SessionTimeoutAdopted")]
    public static partial void SessionTimeoutAdopted(ILogger logger, string connection, string timeout);
}
