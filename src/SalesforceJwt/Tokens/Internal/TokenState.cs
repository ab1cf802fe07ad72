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
