namespace SalesforceJwt.Tokens.Internal;

/// <summary>
/// What the provider knows about a token it handed out: how often Salesforce accepted it and, when the session timeout
/// is known (configured, read or learned), when its session should end. Kept beside the token, which stays an immutable value.
/// </summary>
internal sealed class TokenState(SalesforceToken token, bool isRenewal, SessionTracker? configured, SessionEvidence? evidence = null)
{
    private int _accepted;

    public SalesforceToken Token { get; } = token;

    /// <summary>Gets a value indicating whether the token replaced one Salesforce rejected.</summary>
    public bool IsRenewal { get; } = isRenewal;

    /// <summary>Gets the session tracker: of the configured timeout when there is one, else of the one read or learned; null while unknown.</summary>
    public SessionTracker? Session => configured ?? evidence?.Tracker;

    /// <summary>Gets a value indicating whether Salesforce has accepted the token at least once.</summary>
    public bool HasBeenAccepted => Volatile.Read(ref _accepted) != 0;

    /// <summary>
    /// Whether the session (or JWT exp) is about to end: the token is then renewed before anyone gets a 401 for it, but
    /// never sooner than <see cref="SalesforceJwtDefaults.MinimumRenewalAge"/> after it was issued: a token that looks
    /// short-lived (a short JWT exp, a clock ahead of Salesforce's) costs one login per that age, not one per request.
    /// </summary>
    public bool IsEnding(DateTimeOffset now)
    {
        // In ticks: every request with a cached token passes here (issue 12).
        var nowTicks = now.UtcTicks;
        if (nowTicks - Token.AcquiredAt.UtcTicks < SalesforceJwtDefaults.MinimumRenewalAge.Ticks)
        {
            return false;
        }

        var margin = SalesforceJwtDefaults.ProactiveRefreshMargin.Ticks;
        if (Token.ExpiresAt is { } expires && expires.UtcTicks - nowTicks <= margin)
        {
            return true;
        }

        // A tenth of a short timeout, so that the margin never swallows the whole session.
        return Session is { } session
            && session.PredictedEndTicks - nowTicks <= Math.Min(margin, session.Timeout.Ticks / 10);
    }

    /// <summary>Notes a request Salesforce accepted with this token, sent at <paramref name="sentAt"/>.</summary>
    public void RecordUse(DateTimeOffset sentAt)
    {
        // Shared state is written once per token, and after that only when the session rule could move the prediction.
        if (Volatile.Read(ref _accepted) == 0)
        {
            Volatile.Write(ref _accepted, 1);
        }

        evidence?.RecordSuccess(sentAt);
        Session?.RecordActivity(sentAt);
    }

    /// <summary>Notes that Salesforce said the token's session had ended, seen at <paramref name="at"/>.</summary>
    public void RecordEnd(DateTimeOffset at)
    {
        if (HasBeenAccepted)
        {
            evidence?.RecordEnd(at, configured);
        }
    }
}
