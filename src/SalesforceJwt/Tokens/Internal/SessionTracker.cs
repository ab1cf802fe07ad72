namespace SalesforceJwt.Tokens.Internal;

/// <summary>
/// Predicts when a Salesforce session ends: at the last recorded activity plus the idle timeout, where activity is
/// recorded only once more than half the timeout has passed since the last record (docs/salesforce-behaviour.md#sessions-slide-on-activity).
/// </summary>
internal sealed class SessionTracker(DateTimeOffset issuedAt, TimeSpan timeout)
{
    private long _lastRecordedTicks = issuedAt.UtcTicks;

    public TimeSpan Timeout { get; } = timeout;

    public DateTimeOffset LastRecordedActivity => new(Interlocked.Read(ref _lastRecordedTicks), TimeSpan.Zero);

    public DateTimeOffset PredictedEnd => new(PredictedEndTicks, TimeSpan.Zero);

    /// <summary>Gets <see cref="PredictedEnd"/> in UTC ticks, for the hot path.</summary>
    public long PredictedEndTicks => Interlocked.Read(ref _lastRecordedTicks) + Timeout.Ticks;

    /// <summary>
    /// Records activity by Salesforce's rule. The send time is used, not the answer's: Salesforce saw the request at
    /// or after it, so the prediction can only err early, which costs a login but never a 401.
    /// </summary>
    public void RecordActivity(DateTimeOffset sentAt)
    {
        var half = Timeout.Ticks / 2;
        while (true)
        {
            var last = Interlocked.Read(ref _lastRecordedTicks);
            if (sentAt.UtcTicks - last <= half || Interlocked.CompareExchange(ref _lastRecordedTicks, sentAt.UtcTicks, last) == last)
            {
                return;
            }
        }
    }
}
