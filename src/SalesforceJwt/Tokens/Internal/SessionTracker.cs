namespace SalesforceJwt.Tokens.Internal;

/// <summary>
/// Predicts when a Salesforce session ends: at the last recorded activity plus the idle timeout, where activity is
/// recorded only once more than half the timeout has passed since the last record (docs/salesforce-behaviour.md#sessions-slide-on-activity).
/// </summary>
/// <remarks>
/// Every request with a known timeout reads the last record twice (the prediction, the activity) and writes it at most
/// once per half timeout. The reads are <see cref="Volatile"/> reads, atomic for a <see langword="long"/> on every
/// runtime; <c>Interlocked.Read</c> is a locked compare-exchange that would take the cache line from
/// every other core on each request (issue 12).
/// </remarks>
internal sealed class SessionTracker(DateTimeOffset issuedAt, TimeSpan timeout)
{
    private long _lastRecordedTicks = issuedAt.UtcTicks;

    public TimeSpan Timeout { get; } = timeout;

    public DateTimeOffset LastRecordedActivity => new(Volatile.Read(ref _lastRecordedTicks), TimeSpan.Zero);

    public DateTimeOffset PredictedEnd => new(PredictedEndTicks, TimeSpan.Zero);

    /// <summary>Gets <see cref="PredictedEnd"/> in UTC ticks, for the hot path.</summary>
    public long PredictedEndTicks => Volatile.Read(ref _lastRecordedTicks) + Timeout.Ticks;

    /// <summary>
    /// Records activity by Salesforce's rule. The send time is used, not the answer's: Salesforce saw the request at
    /// or after it, so the prediction can only err early, which costs a login but never a 401.
    /// </summary>
    public void RecordActivity(DateTimeOffset sentAt)
    {
        var half = Timeout.Ticks / 2;
        while (true)
        {
            var last = Volatile.Read(ref _lastRecordedTicks);
            if (sentAt.UtcTicks - last <= half || Interlocked.CompareExchange(ref _lastRecordedTicks, sentAt.UtcTicks, last) == last)
            {
                return;
            }
        }
    }
}
