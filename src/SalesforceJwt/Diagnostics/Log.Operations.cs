using Microsoft.Extensions.Logging;
using SalesforceJwt.Internal;

namespace SalesforceJwt.Diagnostics;

/// <summary>Log messages of start-up, certificate expiry and warm-up (event ids 200 to 219).</summary>
internal static partial class Log
{
    [LoggerMessage(200, LogLevel.Information, "Salesforce connection {Connection} is configured: user {Username}, login host {LoginHost}, key from {KeySource}; the key loads and signs", EventName = "ConnectionValidated")]
    public static partial void ConnectionValidated(ILogger logger, string connection, string username, string loginHost, string keySource);

    [LoggerMessage(201, LogLevel.Warning, "The certificate of Salesforce connection {Connection} ({Subject}, thumbprint {Thumbprint}) expires on {NotAfter:yyyy-MM-dd}, in {DaysLeft} days. Make a new key and certificate, upload the certificate to the connected app, then switch the key: " + RotationUrl, EventName = "CertificateExpiring")]
    public static partial void CertificateExpiring(ILogger logger, string connection, string subject, string thumbprint, DateTimeOffset notAfter, int daysLeft);

    [LoggerMessage(202, LogLevel.Warning, "The certificate of Salesforce connection {Connection} ({Subject}, thumbprint {Thumbprint}) expired on {NotAfter:yyyy-MM-dd}, {DaysAgo} days ago. Salesforce still accepts assertions signed with its key today, but rotation is due: " + RotationUrl, EventName = "CertificateExpired")]
    public static partial void CertificateExpired(ILogger logger, string connection, string subject, string thumbprint, DateTimeOffset notAfter, int daysAgo);

    [LoggerMessage(203, LogLevel.Information, "Salesforce connection {Connection} has a private key without its certificate, so when the certificate uploaded to the connected app expires cannot be checked. Set CertificatePath to that certificate to be warned before it expires", EventName = "CertificateExpiryUnknown")]
    public static partial void CertificateExpiryUnknown(ILogger logger, string connection);

    [LoggerMessage(204, LogLevel.Information, "Warmed up Salesforce connection {Connection}: a token for {Username} on {InstanceHost} in {ElapsedMilliseconds} ms", EventName = "WarmUpSucceeded")]
    public static partial void WarmUpSucceeded(ILogger logger, string connection, string? username, string instanceHost, long elapsedMilliseconds);

    [LoggerMessage(205, LogLevel.Error, "Warm-up of Salesforce connection {Connection} failed, the app starts anyway and its health check reports it: {ErrorCode}. {Reason}", EventName = "WarmUpFailed")]
    public static partial void WarmUpFailed(ILogger logger, string connection, SalesforceErrorCode errorCode, string reason);

    [LoggerMessage(206, LogLevel.Warning, "Token request attempt {Attempt} to {Host} failed: {Reason}; retrying in {DelayMilliseconds} ms", EventName = "TokenAttemptFailed")]
    public static partial void TokenAttemptFailed(ILogger logger, int attempt, string host, string reason, long delayMilliseconds);

    private const string RotationUrl = ProjectLinks.CertificateRotation;
}
