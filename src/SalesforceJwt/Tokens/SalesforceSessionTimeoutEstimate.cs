namespace SalesforceJwt.Tokens;

/// <summary>
/// What a connection knows of its Salesforce session timeout: the value it renews tokens by, where it comes from, and
/// the range of timeouts an admin can choose that still fit how the connection's sessions have behaved.
/// </summary>
public sealed class SalesforceSessionTimeoutEstimate
{
    internal SalesforceSessionTimeoutEstimate(TimeSpan? timeout, SalesforceSessionTimeoutSource source, TimeSpan? lowerBound, TimeSpan? upperBound, int forcedEnds)
    {
        Timeout = timeout;
        Source = source;
        LowerBound = lowerBound;
        UpperBound = upperBound;
        ForcedEnds = forcedEnds;
    }

    /// <summary>Gets the timeout tokens are renewed by; <see langword="null"/> while <see cref="Source"/> is <see cref="SalesforceSessionTimeoutSource.Unknown"/>.</summary>
    public TimeSpan? Timeout { get; }

    /// <summary>Gets where <see cref="Timeout"/> comes from.</summary>
    public SalesforceSessionTimeoutSource Source { get; }

    /// <summary>Gets the smallest choosable timeout that fits the evidence so far; <see langword="null"/> before the connection's first token.</summary>
    public TimeSpan? LowerBound { get; }

    /// <summary>Gets the largest choosable timeout that fits the evidence so far; <see langword="null"/> before the connection's first token.</summary>
    public TimeSpan? UpperBound { get; }

    /// <summary>Gets how many sessions ended sooner than any fitting timeout allows (revoked, user deactivated, IP lock), which the estimate ignores.</summary>
    public int ForcedEnds { get; }

    /// <summary>Returns the estimate as one line, such as <c>2 h (Learned; 2 h to 2 h)</c>.</summary>
    /// <returns>The line.</returns>
    public override string ToString() =>
        Internal.SessionTimeoutLog.Format(Timeout) + " (" + Source
        + (LowerBound is { } lower && UpperBound is { } upper ? "; " + Internal.SessionTimeoutLog.Format(lower) + " to " + Internal.SessionTimeoutLog.Format(upper) : string.Empty)
        + ")";
}
