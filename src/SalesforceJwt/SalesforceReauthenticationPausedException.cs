namespace SalesforceJwt;

/// <summary>
/// Token requests for a connection and user are paused, after <c>login rate exceeded</c> or after Salesforce rejected
/// a brand-new token; the call failed fast instead of spending a login. <see cref="Exception.InnerException"/> holds the cause.
/// </summary>
public sealed class SalesforceReauthenticationPausedException : SalesforceJwtException
{
    internal SalesforceReauthenticationPausedException(SalesforceErrorCode code, DateTimeOffset pausedUntil, string message, Exception? cause)
        : base(code, message, cause)
    {
        PausedUntil = pausedUntil;
    }

    /// <summary>Gets when token requests resume.</summary>
    public DateTimeOffset PausedUntil { get; }

    /// <inheritdoc />
    public override bool IsTransient => true;
}
