namespace SalesforceJwt.Tokens.Internal;

/// <summary>
/// The cache entry of one connection and user. Its states: <b>Empty</b> (no token), <b>Acquiring</b> (callers wait on
/// the one exchange), <b>Valid</b>, <b>Renewing</b> (the current token is served to everyone while one background
/// exchange replaces it; a failure is retried with backoff and never thrown at callers who still have a working token)
/// and <b>Paused</b> (token requests fail fast). All state changes happen under <see cref="Lock"/>.
/// </summary>
internal sealed class TokenEntry(string username)
{
    private static readonly TimeSpan s_loginWindow = TimeSpan.FromHours(1);
    private readonly Queue<DateTimeOffset> _logins = new();
    private long _lastUsedTicks;

    public object Lock { get; } = new();

    /// <summary>Gets the username as first asked for, trimmed: the spelling sent as <c>sub</c>.</summary>
    public string Username { get; } = username;

    private TokenState? _current;
    private volatile bool _renewalWanted;

    /// <summary>
    /// The token handed out, with what is known of its use; <see langword="null"/> when Empty or after a rejection.
    /// Written under <see cref="Lock"/>; read without it on the cached-token path.
    /// </summary>
    public TokenState? Current
    {
        get => Volatile.Read(ref _current);
        set => Volatile.Write(ref _current, value);
    }

    /// <summary>The exchange in flight, if any.</summary>
    public Task<SalesforceToken>? Pending { get; set; }

    /// <summary>Whether a proactive renewal was started and has not yet produced a token.</summary>
    public bool RenewalWanted
    {
        get => _renewalWanted;
        set => _renewalWanted = value;
    }

    /// <summary>Failed proactive renewals in a row; the next waits longer.</summary>
    public int RenewalFailures { get; set; }

    /// <summary>No proactive renewal is started before this.</summary>
    public DateTimeOffset NextRenewalAttempt { get; set; }

    public DateTimeOffset? PausedUntil { get; set; }

    public SalesforceErrorCode PauseCode { get; set; }

    public string? PauseReason { get; set; }

    public Exception? PauseCause { get; set; }

    /// <summary>The brand-new token whose rejection opened the last pause; each such token pauses once.</summary>
    public string? PausedForToken { get; set; }

    private volatile bool _retired;

    /// <summary>
    /// Gets or sets a value indicating whether the entry left its cache (evicted, or its connection replaced): a handler
    /// that kept it must look its user up again.
    /// </summary>
    public bool Retired
    {
        get => _retired;
        set => _retired = value;
    }

    /// <summary>
    /// Gets the current token when it can be handed out at <paramref name="now"/> with no wait and no other work: not
    /// ending, no renewal wanted. No lock, no write: every request with a cached token passes here (issue 12).
    /// </summary>
    /// <remarks>A token that has ended is also ending (its margin is never negative), so one check covers both.</remarks>
    public SalesforceToken? TryGetFresh(DateTimeOffset now) =>
        Current is { } current && !RenewalWanted && !current.IsEnding(now) ? current.Token : null;

    /// <summary>Notes a use at <paramref name="now"/>; coarse, so a hot entry is not written on every request.</summary>
    /// <remarks>
    /// Read with <see cref="Volatile"/>, not <c>Interlocked.Read</c>: that one is a locked
    /// compare-exchange, which takes the cache line from every other core on each read (issue 12). A volatile read of a
    /// <see langword="long"/> is atomic on every runtime (a plain load on 64-bit).
    /// </remarks>
    public void Touch(DateTimeOffset now)
    {
        if (now.UtcTicks - Volatile.Read(ref _lastUsedTicks) > TimeSpan.TicksPerSecond)
        {
            LastUsed = now;
        }
    }

    /// <summary>Gets or sets when the entry was last used, for idle and least-recently-used eviction.</summary>
    public DateTimeOffset LastUsed
    {
        get => new(Volatile.Read(ref _lastUsedTicks), TimeSpan.Zero);
        set => Interlocked.Exchange(ref _lastUsedTicks, value.UtcTicks);
    }

    /// <summary>Counts a login if the rolling hour has room for it; otherwise says when it will. Call under <see cref="Lock"/>.</summary>
    public bool TryCountLogin(DateTimeOffset now, int maxPerHour, out DateTimeOffset resumes)
    {
        while (_logins.Count > 0 && now - _logins.Peek() >= s_loginWindow)
        {
            _logins.Dequeue();
        }

        if (_logins.Count >= maxPerHour)
        {
            resumes = _logins.Peek() + s_loginWindow;
            return false;
        }

        _logins.Enqueue(now);
        resumes = now;
        return true;
    }

    /// <summary>How long to wait before the next proactive renewal after <paramref name="failures"/> failures: 5 s, doubling, at most 1 minute.</summary>
    public static TimeSpan RenewalBackoff(int failures) =>
        TimeSpan.FromSeconds(Math.Min(60, 5 * Math.Pow(2, Math.Max(0, failures - 1))));
}
