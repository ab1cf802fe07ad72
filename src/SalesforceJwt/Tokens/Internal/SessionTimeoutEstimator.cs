namespace SalesforceJwt.Tokens.Internal;

/// <summary>
/// Learns a connection's session timeout from what its tokens meet, over the values an admin can choose
/// (docs/salesforce-behaviour.md#session-timeout-values). Each token keeps, per candidate timeout, the session's last
/// extension as Salesforce would have recorded it (<see cref="SessionEvidence"/>); a request Salesforce accepted rules
/// out every candidate under which the session would already have ended, and a session-expiry rejection every candidate
/// under which it would still be alive. The state is one bit set of candidates that fit the evidence, so it is cheap to
/// share and to merge (intersect).
/// </summary>
/// <remarks>
/// <para>
/// Prediction: nothing is predicted until a session end has bounded the set; then the <b>smallest</b> remaining
/// candidate is used, exactly like a configured <c>SessionTimeout</c>. The real timeout fits all the evidence, so the
/// prediction can only be early. An early prediction is not left to stand: past it, the provider looks at the session
/// once before a login replaces it (<see cref="SessionProbe"/>); alive, the token is kept and that success rules the
/// candidate out, so the estimate moves up; ended, that is evidence too. Without the look a too-short prediction would
/// never be corrected, since the token is renewed before any request could prove the session longer.
/// </para>
/// <para>
/// Forced ends: a rejection that fits no remaining candidate (a revocation, a deactivated user, an IP lock, or the
/// admin lowering the timeout) is logged and leaves the set alone, so it never shrinks below what successes proved. It
/// opens a second set: the candidates no longer than that token's age, narrowed by all later evidence. A second such
/// rejection that still fits that set means the timeout itself was lowered: the set replaces the first. A success
/// that fits no remaining candidate (a raised timeout, seen by the look) restarts from that token's evidence.
/// </para>
/// </remarks>
internal sealed class SessionTimeoutEstimator(SessionTimeoutEstimator.IEvents events)
{
    /// <summary>The timeouts an admin can choose for the org, a profile or a connected app, smallest first.</summary>
    public static readonly TimeSpan[] Candidates =
    [
        TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(2),
        TimeSpan.FromHours(4), TimeSpan.FromHours(8), TimeSpan.FromHours(12), TimeSpan.FromHours(24),
    ];

    /// <summary>Every candidate.</summary>
    public const int AllCandidates = (1 << 8) - 1;

    private readonly object _gate = new();
    private int _consistent = AllCandidates;
    private int _shadow;
    private bool _hasShadow;
    private bool _bounded;
    private int _forcedEnds;
    private int _configuredEarlyEnds;
    private long _readTicks;
    private long _readAt;
    private long _learnedTicks;
    private long _changedAt;

    /// <summary>What the estimator reports; the provider turns it into log lines.</summary>
    internal interface IEvents
    {
        void Learned(TimeSpan? previous, TimeSpan? learned, TimeSpan lower, TimeSpan upper, bool read);

        void ForcedEnd(TimeSpan idle, TimeSpan lower, TimeSpan upper, bool timeoutChanged);

        void ConfiguredContradicted(TimeSpan configured, TimeSpan idle, TimeSpan? learned);

        void ReadRefused(string reason);
    }

    /// <summary>Gets the timeout used to predict session ends, in ticks: read from Salesforce, else learned; 0 when unknown. One read.</summary>
    public long PredictionTicks
    {
        get
        {
            var read = Volatile.Read(ref _readTicks);
            return read != 0 ? read : Volatile.Read(ref _learnedTicks);
        }
    }

    /// <summary>Gets the timeout learned from evidence, if the evidence determines one.</summary>
    public TimeSpan? Learned => Volatile.Read(ref _learnedTicks) is var t and not 0 ? TimeSpan.FromTicks(t) : null;

    /// <summary>Gets the timeout read from Salesforce's <c>AuthSession</c> at the last login, if any.</summary>
    public TimeSpan? Read => Volatile.Read(ref _readTicks) is var t and not 0 ? TimeSpan.FromTicks(t) : null;

    /// <summary>Gets the smallest and largest candidates that fit the evidence.</summary>
    public (TimeSpan Lower, TimeSpan Upper) Bounds
    {
        get
        {
            var set = Volatile.Read(ref _consistent);
            return (Candidates[Lowest(set)], Candidates[Highest(set)]);
        }
    }

    /// <summary>Gets the candidates that fit the evidence, as a bit set (bit i for <see cref="Candidates"/>[i]): what a shared store would intersect.</summary>
    public int ConsistentSet => Volatile.Read(ref _consistent);

    /// <summary>Gets the number of session ends that fitted no candidate (revocations and the like).</summary>
    public int ForcedEnds => Volatile.Read(ref _forcedEnds);

    /// <summary>Starts the evidence of a token issued at <paramref name="issuedAt"/>.</summary>
    public SessionEvidence Track(DateTimeOffset issuedAt) => new(this, issuedAt);

    /// <summary>Records the timeout Salesforce reported, at <paramref name="at"/>, for the session of a new token.</summary>
    public void RecordRead(TimeSpan timeout, DateTimeOffset at)
    {
        lock (_gate)
        {
            _readAt = Math.Max(_readAt, at.UtcTicks);
            SetReadUnderGate(timeout.Ticks);
        }
    }

    /// <summary>
    /// Gets what this estimator knows, as the instances of a fleet share it; <see langword="null"/> while it knows nothing
    /// (nothing learned, read or forced), so that an instance that has seen nothing never overwrites what others learned.
    /// </summary>
    public string? Share()
    {
        lock (_gate)
        {
            var state = StateUnderGate();
            return state.IsEmpty ? null : state.Format();
        }
    }

    /// <summary>
    /// Takes in what another instance of the fleet knows (<see cref="Share"/>), by <see cref="SharedSessionTimeout.Merge"/>;
    /// a value that cannot be read is ignored.
    /// </summary>
    /// <returns>Whether the timeout used to predict session ends changed.</returns>
    public bool Adopt(string? shared)
    {
        if (SharedSessionTimeout.Parse(shared) is not { IsEmpty: false } remote)
        {
            return false;
        }

        lock (_gate)
        {
            var before = PredictionTicks;
            var local = StateUnderGate();
            var merged = SharedSessionTimeout.Merge(local, remote);
            if (merged == local)
            {
                return false;
            }

            (_consistent, _bounded, _shadow, _hasShadow, _changedAt) = (merged.Set, merged.Bounded, merged.Shadow, merged.HasShadow, merged.ChangedAt);
            Volatile.Write(ref _forcedEnds, merged.ForcedEnds);
            _readAt = merged.ReadAt;
            SetReadUnderGate(merged.ReadTicks);
            PublishUnderGate();
            return PredictionTicks != before;
        }
    }

    private SharedSessionTimeout StateUnderGate() =>
        new(_consistent, _bounded, _hasShadow ? _shadow : 0, _hasShadow && _shadow != 0, _forcedEnds, Volatile.Read(ref _readTicks), _readAt, _changedAt);

    private void SetReadUnderGate(long ticks)
    {
        var previous = Volatile.Read(ref _readTicks);
        Volatile.Write(ref _readTicks, ticks);
        if (previous != ticks && ticks != 0)
        {
            var set = _consistent;
            events.Learned(previous == 0 ? null : TimeSpan.FromTicks(previous), TimeSpan.FromTicks(ticks), Candidates[Lowest(set)], Candidates[Highest(set)], read: true);
        }
    }

    /// <summary>Notes that the timeout could not be read from Salesforce; the first refusal is reported.</summary>
    public void ReadRefused(string reason) => events.ReadRefused(reason);

    /// <summary>A success, at <paramref name="at"/>, proved these candidates too short.</summary>
    internal void RuleOut(int tooShort, int tokenTooShort, DateTimeOffset at)
    {
        lock (_gate)
        {
            var before = (_consistent, _bounded, _shadow, _hasShadow);
            RuleOutUnderGate(tooShort, tokenTooShort);
            StampUnderGate(before, at);
        }
    }

    private void RuleOutUnderGate(int tooShort, int tokenTooShort)
    {
        _shadow &= ~tooShort;
        _hasShadow &= _shadow != 0;
        var remaining = _consistent & ~tooShort;
        if (remaining == 0)
        {
            // The session outlived every candidate left: the timeout was raised. Start again from this token alone.
            remaining = AllCandidates & ~tokenTooShort;
            _bounded = false;
            if (remaining == 0)
            {
                return;
            }
        }

        _consistent = remaining;
        PublishUnderGate();
    }

    /// <summary>A session-expiry rejection at <paramref name="at"/>, <paramref name="age"/> after the token was issued, found these candidates still alive.</summary>
    internal void RecordEnd(int alive, TimeSpan age, TimeSpan idle, DateTimeOffset at)
    {
        lock (_gate)
        {
            var before = (_consistent, _bounded, _shadow, _hasShadow, _forcedEnds);
            RecordEndUnderGate(alive, age, idle);
            if (before != (_consistent, _bounded, _shadow, _hasShadow, _forcedEnds))
            {
                _changedAt = Math.Max(_changedAt, at.UtcTicks);
            }
        }
    }

    private void RecordEndUnderGate(int alive, TimeSpan age, TimeSpan idle)
    {
        var remaining = _consistent & ~alive;
        if (remaining != 0)
        {
            _consistent = remaining;
            _bounded = true;
            _shadow &= ~alive;
            _hasShadow &= _shadow != 0;
            PublishUnderGate();
            return;
        }

        Volatile.Write(ref _forcedEnds, _forcedEnds + 1);
        var shadow = _shadow & ~alive;
        var changed = _hasShadow && shadow != 0;
        if (changed)
        {
            _consistent = shadow;
            _bounded = true;
        }

        // This end may be the first under a lowered timeout. This token's extensions may predate the change, so the
        // second set starts from what its age alone allows (a timeout no longer than it) and learns from what follows.
        _shadow = UpTo(age);
        _hasShadow = !changed && _shadow != 0;

        var set = _consistent;
        events.ForcedEnd(idle, Candidates[Lowest(set)], Candidates[Highest(set)], changed);
        if (changed)
        {
            PublishUnderGate();
        }
    }

    /// <summary>Notes when the sets last changed, which decides between two instances whose sets disagree.</summary>
    private void StampUnderGate((int, bool, int, bool) before, DateTimeOffset at)
    {
        if (before != (_consistent, _bounded, _shadow, _hasShadow))
        {
            _changedAt = Math.Max(_changedAt, at.UtcTicks);
        }
    }

    /// <summary>A rejection came before the configured timeout's predicted end; the second one is reported.</summary>
    internal void RecordConfiguredEarlyEnd(TimeSpan configured, TimeSpan idle)
    {
        if (Interlocked.Increment(ref _configuredEarlyEnds) == 2)
        {
            events.ConfiguredContradicted(configured, idle, Learned);
        }
    }

    private void PublishUnderGate()
    {
        var set = _consistent;
        var learned = _bounded ? Candidates[Lowest(set)].Ticks : 0;
        var previous = Volatile.Read(ref _learnedTicks);
        if (learned != previous)
        {
            Volatile.Write(ref _learnedTicks, learned);
            events.Learned(previous == 0 ? null : TimeSpan.FromTicks(previous), learned == 0 ? null : TimeSpan.FromTicks(learned),
                Candidates[Lowest(set)], Candidates[Highest(set)], read: false);
        }
    }

    private static int UpTo(TimeSpan age)
    {
        var set = 0;
        for (var i = 0; i < Candidates.Length && Candidates[i] <= age; i++)
        {
            set |= 1 << i;
        }

        return set;
    }

    private static int Lowest(int set)
    {
        for (var i = 0; i < Candidates.Length; i++)
        {
            if ((set & (1 << i)) != 0)
            {
                return i;
            }
        }

        return 0;
    }

    private static int Highest(int set)
    {
        for (var i = Candidates.Length - 1; i >= 0; i--)
        {
            if ((set & (1 << i)) != 0)
            {
                return i;
            }
        }

        return Candidates.Length - 1;
    }
}
