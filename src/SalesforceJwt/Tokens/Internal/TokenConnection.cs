using SalesforceJwt.Assertions.Internal;

namespace SalesforceJwt.Tokens.Internal;

/// <summary>
/// One registered connection as the provider uses it: its current options (replaced in place when a reload changes
/// nothing that makes a token), its signing key, the audience that works, and one cache entry per user.
/// </summary>
internal sealed class TokenConnection : IDisposable
{
    private SalesforceJwtOptions _options;
    private string _audience;
    private string? _fallbackAudience;

    public TokenConnection(string name, SalesforceJwtOptions options, TimeProvider timeProvider, Action<string>? keyReloaded = null, Action<Exception>? keyReloadFailed = null)
    {
        Name = name;
        _options = options;
        Key = new RotatingSigningKey(options, timeProvider, keyReloaded, keyReloadFailed);
        (_audience, _fallbackAudience) = AudienceChoice.For(options);
    }

    public string Name { get; }

    public SalesforceJwtOptions Options
    {
        get => Volatile.Read(ref _options);
        set => Volatile.Write(ref _options, value);
    }

    public RotatingSigningKey Key { get; }

    public TokenEntryCache Entries { get; } = new();

    private SessionTimeoutEstimator? _sessions;

    /// <summary>Gets what the connection has learned of its session timeout, once a token has been issued.</summary>
    public SessionTimeoutEstimator? Sessions => Volatile.Read(ref _sessions);

    /// <summary>Gets the connection's session-timeout estimator, created on first use with <paramref name="create"/>.</summary>
    public SessionTimeoutEstimator GetSessions(Func<string, SessionTimeoutEstimator> create) =>
        Volatile.Read(ref _sessions) ?? Interlocked.CompareExchange(ref _sessions, create(Name), null) ?? _sessions!;

    private readonly Queue<DateTimeOffset> _failedLogins = new();

    /// <summary>
    /// Whether another login may be tried: logins Salesforce refused outright (not outages), for all users of the connection together, are held to
    /// <see cref="SalesforceJwtOptions.MaxLoginsPerHour"/> per rolling hour, so usernames chosen per request (by
    /// anyone) cannot make a login attempt each. Successful logins of many users are not limited here.
    /// </summary>
    public bool MayTryLogin(DateTimeOffset now, out DateTimeOffset resumes)
    {
        lock (_failedLogins)
        {
            while (_failedLogins.Count > 0 && now - _failedLogins.Peek() >= TimeSpan.FromHours(1))
            {
                _failedLogins.Dequeue();
            }

            resumes = _failedLogins.Count > 0 ? _failedLogins.Peek() + TimeSpan.FromHours(1) : now;
            return _failedLogins.Count < Options.MaxLoginsPerHour;
        }
    }

    /// <summary>Notes a login that failed, for <see cref="MayTryLogin"/>.</summary>
    public void RecordFailedLogin(DateTimeOffset now)
    {
        lock (_failedLogins)
        {
            _failedLogins.Enqueue(now);
            while (_failedLogins.Count > Math.Max(1, Options.MaxLoginsPerHour))
            {
                _failedLogins.Dequeue();
            }
        }
    }

    public string Audience
    {
        get => Volatile.Read(ref _audience);
        set => Volatile.Write(ref _audience, value);
    }

    public string? FallbackAudience
    {
        get => Volatile.Read(ref _fallbackAudience);
        set => Volatile.Write(ref _fallbackAudience, value);
    }

    /// <summary>How long an unused user entry is kept: twice the session timeout when known, otherwise a day.</summary>
    public TimeSpan IdleTime => Options.SessionTimeout is { } timeout ? timeout + timeout : TimeSpan.FromHours(24);

    /// <summary>
    /// Whether a token obtained with <paramref name="a"/> is one <paramref name="b"/> would also obtain: same app, user,
    /// hosts, audience and key source. Anything else (timeouts, pauses, buffers) can change under a live token.
    /// </summary>
    public static bool SameTokenIdentity(SalesforceJwtOptions a, SalesforceJwtOptions b) =>
        string.Equals(a.ConsumerKey, b.ConsumerKey, StringComparison.Ordinal)
        && string.Equals(a.Username?.Trim(), b.Username?.Trim(), StringComparison.OrdinalIgnoreCase)
        && a.LoginUrl == b.LoginUrl
        && string.Equals(a.Audience, b.Audience, StringComparison.Ordinal)
        && string.Equals(a.PrivateKeyPath, b.PrivateKeyPath, StringComparison.Ordinal)
        && string.Equals(a.PrivateKeyPassword, b.PrivateKeyPassword, StringComparison.Ordinal)
        && string.Equals(a.CertificatePath, b.CertificatePath, StringComparison.Ordinal)
        && string.Equals(a.CertificateThumbprint, b.CertificateThumbprint, StringComparison.OrdinalIgnoreCase)
        && ReferenceEquals(a.Certificate, b.Certificate)
        && ReferenceEquals(a.PrivateKey, b.PrivateKey)
        && ReferenceEquals(a.Signer, b.Signer);

    /// <summary>
    /// Retires the entries (handlers that kept one look their user up again, in the connection that replaced this one)
    /// and releases the connection's hold on its key; an exchange still signing with it keeps it until it ends.
    /// </summary>
    public void Dispose()
    {
        Entries.RetireAll();
        Key.Dispose();
    }
}
