namespace SalesforceJwt;

/// <summary>
/// Token requests for a connection and user are paused, after <c>login rate exceeded</c> or after Salesforce rejected
/// a brand-new token; the call failed fast instead of spending a login. <see cref="Exception.InnerException"/> holds the cause.
/// </summary>
public sealed class SalesforceReauthenticationPausedException : SalesforceJwtException
{
    /// <summary>
    /// Initializes a new instance of the <see cref="SalesforceReauthenticationPausedException"/> class; public so that
    /// applications can test their own handling of it. <see cref="IsTransient"/> is always <see langword="true"/>.
    /// </summary>
    /// <param name="code">
    /// The stable error code: <see cref="SalesforceErrorCode.LoginRateExceeded"/>,
    /// <see cref="SalesforceErrorCode.SessionRejectedAfterRenewal"/> or <see cref="SalesforceErrorCode.LoginBudgetExhausted"/>.
    /// </param>
    /// <param name="pausedUntil">When token requests resume.</param>
    /// <param name="message">What happened and what to do, used as given.</param>
    /// <param name="cause">The failure that started the pause, if any; it becomes <see cref="Exception.InnerException"/>.</param>
    public SalesforceReauthenticationPausedException(SalesforceErrorCode code, DateTimeOffset pausedUntil, string message, Exception? cause = null)
        : base(code, message, cause)
    {
        PausedUntil = pausedUntil;
    }

    /// <summary>Gets when token requests resume.</summary>
    public DateTimeOffset PausedUntil { get; }

    /// <inheritdoc />
    public override bool IsTransient => true;
}
