using Microsoft.Extensions.Logging;

namespace SalesforceJwt.Diagnostics;

/// <summary>Events of remote assertion signers (<see cref="ISalesforceAssertionSigner"/>), ids 100 to 119.</summary>
internal static partial class Log
{
    [LoggerMessage(100, LogLevel.Debug, "Asking the assertion signer {Signer} to sign for connection {Connection}", EventName = "SignerSigning")]
    public static partial void SignerSigning(ILogger logger, string connection, string signer);

    [LoggerMessage(101, LogLevel.Debug, "The assertion signer {Signer} signed for connection {Connection} in {ElapsedSeconds:0.000} s", EventName = "SignerSigned")]
    public static partial void SignerSigned(ILogger logger, string connection, string signer, double elapsedSeconds);

    [LoggerMessage(102, LogLevel.Debug, "The assertion signer {Signer} failed for connection {Connection} after {ElapsedSeconds:0.000} s", EventName = "SignerFailed")]
    public static partial void SignerFailed(ILogger logger, string connection, string signer, double elapsedSeconds, Exception exception);

    [LoggerMessage(103, LogLevel.Debug, "The assertion signer {Signer} did not sign for connection {Connection} within {ElapsedSeconds:0.000} s", EventName = "SignerTimedOut")]
    public static partial void SignerTimedOut(ILogger logger, string connection, string signer, double elapsedSeconds);
}
