namespace SalesforceJwt.Tokens.Internal;

/// <summary>
/// What the provider knows about a token it handed out: how often Salesforce accepted it and, when the session timeout
/// is known, when its session should end. Kept beside the token, which stays an immutable value.
/// </summary>
internal sealed class TokenState(SalesforceToken token, bool isRenewal, SessionTracker? session)
{
    private int _accepted;

    public SalesforceToken Token { get; } = token;

    /// <summary>Gets a value indicating whether the token replaced one Salesforce rejected.</summary>
    public bool IsRenewal { get; } = isRenewal;

    /// <summary>Gets the session tracker, when the connection knows its session timeout.</summary>
    public SessionTracker? Session { get; } = session;

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

        Session?.RecordActivity(sentAt);
    }
}
