using Microsoft.Extensions.Logging;

namespace SalesforceJwt.Diagnostics;

/// <summary>Every log message of SalesforceJwt, with stable event ids. None carries a token, assertion, key or password.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "Requesting a Salesforce token for connection {Connection}, user {Username}, from {TokenEndpoint} with audience {Audience}", EventName = "TokenRequesting")]
    public static partial void TokenRequesting(ILogger logger, string connection, string username, Uri tokenEndpoint, string audience);

    [LoggerMessage(2, LogLevel.Information, "Acquired a Salesforce token for connection {Connection}, user {Username}: instance {InstanceHost}, org {OrganizationId}, in {ElapsedMilliseconds} ms", EventName = "TokenAcquired")]
    public static partial void TokenAcquired(ILogger logger, string connection, string username, string instanceHost, string? organizationId, long elapsedMilliseconds);

    [LoggerMessage(3, LogLevel.Error, "Salesforce token request to {Host} failed for connection {Connection}, user {Username}: {ErrorCode}. {Reason}", EventName = "TokenRequestFailed")]
    public static partial void TokenRequestFailed(ILogger logger, string host, string connection, string username, SalesforceErrorCode errorCode, string reason);

    [LoggerMessage(4, LogLevel.Information, "Salesforce rejected audience {RejectedAudience} for connection {Connection}; trying {FallbackAudience}", EventName = "AudienceFallback")]
    public static partial void AudienceFallback(ILogger logger, string connection, string rejectedAudience, string fallbackAudience);

    [LoggerMessage(5, LogLevel.Information, "Salesforce session ended for connection {Connection} ({Reason}) on {Method} {Path}; re-authenticating and replaying once", EventName = "SessionExpired")]
    public static partial void SessionExpired(ILogger logger, string connection, string reason, string method, string path);

    [LoggerMessage(6, LogLevel.Warning, "The request {Method} {Path} of connection {Connection} cannot be replayed after re-authentication: {Reason}", EventName = "ReplayNotPossible")]
    public static partial void ReplayNotPossible(ILogger logger, string connection, string method, string path, string reason);

    [LoggerMessage(7, LogLevel.Warning, "Salesforce rejected a brand-new token for {Method} {Path} of connection {Connection} ({Reason}); returning the response to the caller", EventName = "FreshTokenRejected")]
    public static partial void FreshTokenRejected(ILogger logger, string connection, string method, string path, string reason);

    [LoggerMessage(9, LogLevel.Warning, "Token requests for connection {Connection} are paused for {PauseSeconds} s: {Reason}", EventName = "ReauthenticationPaused")]
    public static partial void ReauthenticationPaused(ILogger logger, string connection, string reason, double pauseSeconds);

    [LoggerMessage(10, LogLevel.Information, "Token requests for connection {Connection} resume after the pause for {ErrorCode}", EventName = "ReauthenticationResumed")]
    public static partial void ReauthenticationResumed(ILogger logger, string connection, SalesforceErrorCode errorCode);

    [LoggerMessage(11, LogLevel.Information, "Renewing the Salesforce token of connection {Connection}, user {Username}, before its session ends", EventName = "ProactiveRenewal")]
    public static partial void ProactiveRenewal(ILogger logger, string connection, string username);

    [LoggerMessage(12, LogLevel.Debug, "Replayed {Method} {Path} of connection {Connection} with a new token: {Status}", EventName = "Replayed")]
    public static partial void Replayed(ILogger logger, string connection, string method, string path, int status);

    [LoggerMessage(13, LogLevel.Debug, "{Method} {Uri} answered {StatusCode} in {ElapsedMilliseconds} ms", EventName = "HttpRequestCompleted")]
    public static partial void HttpRequestCompleted(ILogger logger, string method, string uri, int statusCode, long elapsedMilliseconds);

    [LoggerMessage(14, LogLevel.Debug, "{Method} {Uri} failed after {ElapsedMilliseconds} ms: {ExceptionType}", EventName = "HttpRequestFailed")]
    public static partial void HttpRequestFailed(ILogger logger, string method, string uri, long elapsedMilliseconds, string exceptionType);

    [LoggerMessage(8, LogLevel.Debug, "Request to {Host} is not for the Salesforce instance of connection {Connection}; sent without the token", EventName = "ForeignHost")]
    public static partial void ForeignHost(ILogger logger, string connection, string host);

    [LoggerMessage(16, LogLevel.Error, "SalesforceJwt refused to attach the token of connection {Connection} to a request for {Host}: a token goes only to its own instance", EventName = "CredentialWithheld")]
    public static partial void CredentialWithheld(ILogger logger, string connection, string host);

    [LoggerMessage(17, LogLevel.Warning, "Token requests for connection {Connection}, user {Username} reached {MaxLoginsPerHour} logins in the last hour; paused until {Until:u}", EventName = "LoginBudgetExhausted")]
    public static partial void LoginBudgetExhausted(ILogger logger, string connection, string username, int maxLoginsPerHour, DateTimeOffset until);

    [LoggerMessage(18, LogLevel.Warning, "Renewing the Salesforce token of connection {Connection}, user {Username} failed ({Failures} in a row); the current token is still served and renewal is tried again in {RetrySeconds} s: {Reason}", EventName = "ProactiveRenewalFailed")]
    public static partial void ProactiveRenewalFailed(ILogger logger, string connection, string username, int failures, double retrySeconds, string reason);

    [LoggerMessage(19, LogLevel.Information, "Reloaded the signing key of connection {Connection}: {Reason}", EventName = "KeyReloaded")]
    public static partial void KeyReloaded(ILogger logger, string connection, string reason);

    [LoggerMessage(20, LogLevel.Warning, "The signing key of connection {Connection} changed but could not be loaded; the previous key stays in use: {Reason}", EventName = "KeyReloadFailed")]
    public static partial void KeyReloadFailed(ILogger logger, string connection, string reason);

    [LoggerMessage(21, LogLevel.Debug, "Configuration of connection {Connection} reloaded; nothing a token depends on changed, so the cached tokens stay", EventName = "ReloadAppliedInPlace")]
    public static partial void ReloadAppliedInPlace(ILogger logger, string connection);

    [LoggerMessage(22, LogLevel.Information, "Configuration of connection {Connection} reloaded with a new app, user, host, audience or key; its next request logs in with the new settings", EventName = "ReloadReplacedConnection")]
    public static partial void ReloadReplacedConnection(ILogger logger, string connection);

    [LoggerMessage(23, LogLevel.Error, "Configuration of connection {Connection} reloaded with invalid settings; the previous settings stay in use: {Reason}", EventName = "ReloadRejected")]
    public static partial void ReloadRejected(ILogger logger, string connection, string reason);
}
