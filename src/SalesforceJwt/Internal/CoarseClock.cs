namespace SalesforceJwt.Internal;

/// <summary>
/// The UTC time for the request hot path, read from the system's millisecond tick count (a fraction of the cost of a
/// precise clock read, issue 12) and anchored to the precise clock at most a second apart. Each anchor is set back by
/// <see cref="MaxTickLag"/>, the most a tick count trails the moment it stands for, so a reading is never later than the
/// precise clock and at most about twice that earlier: a send time that errs, errs early, so a session end is predicted
/// early (a login) rather than late (a 401). Between anchors it follows the tick count, so a step of the wall clock is
/// followed within <see cref="AnchorInterval"/>.
/// </summary>
internal sealed class CoarseClock
{
    /// <summary>The longest a reading follows the tick count alone before it is anchored to the precise clock again.</summary>
    internal const int AnchorInterval = 1000;

    /// <summary>
    /// The most a tick count trails the moment it is read: one timer interrupt, 1–10 ms on Linux and 15.6 ms on Windows,
    /// with room to spare.
    /// </summary>
    internal static readonly TimeSpan MaxTickLag = TimeSpan.FromMilliseconds(32);

    private readonly TimeProvider _precise;
    private readonly Func<int>? _tickCount;
    private Anchor _anchor;

    /// <summary>Creates a clock on <paramref name="precise"/> and a tick count in milliseconds (<see cref="Environment.TickCount"/> when null).</summary>
    internal CoarseClock(TimeProvider precise, Func<int>? tickCount = null)
    {
        _precise = precise;
        _tickCount = tickCount;
        _anchor = NewAnchor();
    }

    /// <summary>Gets the clock on the system's own time.</summary>
    public static CoarseClock System { get; } = new(TimeProvider.System);

    /// <summary>Gets the current UTC time, never later than the precise clock's.</summary>
    public DateTimeOffset UtcNow
    {
        get
        {
            var ticks = TickCount();
            var anchor = Volatile.Read(ref _anchor);

            // Unsigned, so that the tick count's wrap every 49.7 days is one more millisecond like any other.
            var elapsed = unchecked((uint)(ticks - anchor.TickCount));
            if (elapsed >= AnchorInterval)
            {
                anchor = NewAnchor();
                Volatile.Write(ref _anchor, anchor);
                elapsed = 0;
            }

            return new DateTimeOffset(anchor.UtcTicks + (elapsed * TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
        }
    }

    private int TickCount() => _tickCount is null ? Environment.TickCount : _tickCount();

    private Anchor NewAnchor()
    {
        // The precise clock first, then the ticks: the tick count read later can only make a reading earlier.
        var utc = _precise.GetUtcNow() - MaxTickLag;
        return new Anchor(TickCount(), utc.UtcTicks);
    }

    private sealed class Anchor(int tickCount, long utcTicks)
    {
        public int TickCount { get; } = tickCount;

        public long UtcTicks { get; } = utcTicks;
    }
}
