namespace SalesforceJwt.Tokens.Internal;

/// <summary>
/// What one token's use says about the session timeout: per candidate of <see cref="SessionTimeoutEstimator"/>, the last
/// extension Salesforce would have recorded (docs/salesforce-behaviour.md#sessions-slide-on-activity). An accepted request
/// costs one read until a candidate's extension or end could move, which happens at most once per half a candidate.
/// </summary>
internal sealed class SessionEvidence
{
    private static readonly int s_count = SessionTimeoutEstimator.Candidates.Length;
    private readonly SessionTimeoutEstimator _estimator;
    private readonly long[] _lastExtension;
    private readonly DateTimeOffset _issuedAt;
    private int _tooShort;
    private long _nextCheck;
    private int _ended;
    private SessionTracker? _tracker;

    public SessionEvidence(SessionTimeoutEstimator estimator, DateTimeOffset issuedAt)
    {
        _estimator = estimator;
        _issuedAt = issuedAt;
        _lastExtension = new long[s_count];
        _lastExtension.AsSpan().Fill(issuedAt.UtcTicks);
        _nextCheck = issuedAt.UtcTicks + (SessionTimeoutEstimator.Candidates[0].Ticks / 2);
    }

    /// <summary>
    /// Gets a tracker for the timeout the connection predicts with now (read or learned), seeded with this session's last
    /// extension under it; <see langword="null"/> while the timeout is unknown.
    /// </summary>
    public SessionTracker? Tracker
    {
        get
        {
            var ticks = _estimator.PredictionTicks;
            if (ticks == 0)
            {
                return null;
            }

            var tracker = Volatile.Read(ref _tracker);
            return tracker is not null && tracker.Timeout.Ticks == ticks ? tracker : CreateTracker(ticks);
        }
    }

    private SessionTracker CreateTracker(long ticks)
    {
        lock (_lastExtension)
        {
            var index = Array.FindIndex(SessionTimeoutEstimator.Candidates, c => c.Ticks == ticks);
            var seed = index >= 0 ? _lastExtension[index] : _issuedAt.UtcTicks;
            var tracker = new SessionTracker(new DateTimeOffset(seed, TimeSpan.Zero), TimeSpan.FromTicks(ticks));
            Volatile.Write(ref _tracker, tracker);
            return tracker;
        }
    }

    /// <summary>Notes a request Salesforce accepted, sent at <paramref name="sentAt"/>.</summary>
    public void RecordSuccess(DateTimeOffset sentAt)
    {
        var at = sentAt.UtcTicks;
        if (at <= Volatile.Read(ref _nextCheck))
        {
            return;
        }

        int newlyTooShort = 0, tooShort;
        lock (_lastExtension)
        {
            var next = long.MaxValue;
            for (var i = 0; i < s_count; i++)
            {
                var bit = 1 << i;
                if ((_tooShort & bit) != 0)
                {
                    continue;
                }

                var timeout = SessionTimeoutEstimator.Candidates[i].Ticks;
                var idle = at - _lastExtension[i];
                if (idle >= timeout)
                {
                    // Under this timeout the session would have ended before this request, which Salesforce accepted.
                    _tooShort |= bit;
                    newlyTooShort |= bit;
                    continue;
                }

                if (idle > timeout / 2)
                {
                    _lastExtension[i] = at;
                }

                next = Math.Min(next, _lastExtension[i] + (timeout / 2));
            }

            Volatile.Write(ref _nextCheck, next);
            tooShort = _tooShort;
        }

        if (newlyTooShort != 0)
        {
            _estimator.RuleOut(newlyTooShort, tooShort, sentAt);
        }
    }

    private int AliveAt(DateTimeOffset at)
    {
        var alive = 0;
        lock (_lastExtension)
        {
            for (var i = 0; i < s_count; i++)
            {
                if ((_tooShort & (1 << i)) == 0 && at.UtcTicks - _lastExtension[i] < SessionTimeoutEstimator.Candidates[i].Ticks)
                {
                    alive |= 1 << i;
                }
            }
        }

        return alive;
    }

    /// <summary>
    /// Notes that Salesforce said the session had ended, at <paramref name="at"/>; once per token, and only for a token it
    /// had accepted before (one rejected at once says nothing about timeouts).
    /// </summary>
    /// <param name="at">When the rejection was seen.</param>
    /// <param name="configured">The tracker of a configured timeout, to check it against the rejection.</param>
    public void RecordEnd(DateTimeOffset at, SessionTracker? configured)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return;
        }

        var alive = AliveAt(at);
        long latest;
        lock (_lastExtension)
        {
            latest = Math.Max(_issuedAt.UtcTicks, _lastExtension.Max());
        }

        if (configured is not null && at < configured.PredictedEnd)
        {
            _estimator.RecordConfiguredEarlyEnd(configured.Timeout, at - configured.LastRecordedActivity);
        }

        _estimator.RecordEnd(alive, at - _issuedAt, TimeSpan.FromTicks(at.UtcTicks - latest), at);
    }
}
