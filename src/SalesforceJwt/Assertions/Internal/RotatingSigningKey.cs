namespace SalesforceJwt.Assertions.Internal;

/// <summary>
/// The key a connection signs with. A key read from files is re-read when a file changes (a size and time check before
/// each exchange, never on the request path), or when Salesforce says the assertion did not verify. A key that fails
/// to load keeps the previous one in use. A replaced key is disposed when the last exchange signing with it ends.
/// </summary>
internal sealed class RotatingSigningKey : IDisposable
{
    private readonly SalesforceJwtOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly Action<string>? _reloaded;
    private readonly Action<Exception>? _reloadFailed;
    private readonly object _lock = new();
    private Lease _current;
    private FileStamp _stamp;
    private bool _disposed;

    /// <param name="options">The connection's options; their key source is read now and again when it changes.</param>
    /// <param name="timeProvider">The clock assertions are dated by.</param>
    /// <param name="reloaded">Told why, each time a new key is loaded.</param>
    /// <param name="reloadFailed">Told why, each time a changed key source cannot be loaded.</param>
    public RotatingSigningKey(SalesforceJwtOptions options, TimeProvider timeProvider, Action<string>? reloaded = null, Action<Exception>? reloadFailed = null)
    {
        _options = options;
        _timeProvider = timeProvider;
        _reloaded = reloaded;
        _reloadFailed = reloadFailed;
        _stamp = FileStamp.Of(options);
        _current = new Lease(SigningKeyLoader.Load(options), timeProvider);
    }

    /// <summary>Gets the certificate of the current key, if it came with one.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate => Volatile.Read(ref _current).Key.Certificate;

    /// <summary>Whether the key comes from files that can be replaced while the process runs.</summary>
    public bool IsFromFiles => _options.PrivateKeyPath is { Length: > 0 };

    /// <summary>Takes the current key for one exchange, first picking up a changed key file. Dispose the lease after signing.</summary>
    public Lease Acquire()
    {
        lock (_lock)
        {
            if (IsFromFiles && !FileStamp.Of(_options).Equals(_stamp))
            {
                TryReload("the key file changed");
            }

            _current.AddRef();
            return _current;
        }
    }

    /// <summary>
    /// Re-reads the key files now, whatever their stamps say. Returns whether a different key was loaded, so an
    /// exchange Salesforce refused with <c>invalid assertion</c> is retried once, and only when that can help.
    /// </summary>
    public bool Reload()
    {
        if (!IsFromFiles)
        {
            return false;
        }

        lock (_lock)
        {
            var before = _current;
            TryReload("Salesforce answered 'invalid assertion'");
            return !ReferenceEquals(before, _current) && !SameKey(before, _current);
        }
    }

    private void TryReload(string why)
    {
        var stamp = FileStamp.Of(_options);
        SigningKey loaded;
        try
        {
            loaded = SigningKeyLoader.Load(_options);
        }
        catch (SalesforceConfigurationException ex)
        {
            // Half-written during a rotation, or wrong: the previous key keeps working, and the next exchange looks again.
            _reloadFailed?.Invoke(ex);
            return;
        }

        _stamp = stamp;
        var previous = _current;
        _current = new Lease(loaded, _timeProvider);
        previous.Release();
        _reloaded?.Invoke(why);
    }

    private static bool SameKey(Lease a, Lease b)
    {
        var x = a.Key.Rsa.ExportParameters(false);
        var y = b.Key.Rsa.ExportParameters(false);
        return x.Modulus.AsSpan().SequenceEqual(y.Modulus) && x.Exponent.AsSpan().SequenceEqual(y.Exponent);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                _disposed = true;
                _current.Release();
            }
        }
    }

    /// <summary>One key, counted: the holder's own reference plus one per exchange signing with it.</summary>
    internal sealed class Lease : IDisposable
    {
        private int _references = 1;

        public Lease(SigningKey key, TimeProvider timeProvider)
        {
            Key = key;
            Builder = new JwtAssertionBuilder(key, timeProvider);
        }

        public SigningKey Key { get; }

        public JwtAssertionBuilder Builder { get; }

        /// <summary>Gets a value indicating whether the key has been disposed.</summary>
        public bool IsDisposed => Volatile.Read(ref _references) == 0;

        public void AddRef() => Interlocked.Increment(ref _references);

        public void Release()
        {
            if (Interlocked.Decrement(ref _references) == 0)
            {
                Key.Dispose();
            }
        }

        public void Dispose() => Release();
    }

    /// <summary>Size and last write time of the key and certificate files: enough to notice a replaced file.</summary>
    private readonly record struct FileStamp(long KeyLength, DateTime KeyWritten, long CertificateLength, DateTime CertificateWritten)
    {
        public static FileStamp Of(SalesforceJwtOptions options)
        {
            var (keyLength, keyWritten) = Stat(options.PrivateKeyPath);
            var (certificateLength, certificateWritten) = Stat(options.CertificatePath);
            return new FileStamp(keyLength, keyWritten, certificateLength, certificateWritten);
        }

        private static (long, DateTime) Stat(string? path)
        {
            if (string.IsNullOrEmpty(path))
            {
                return (-1, default);
            }

            try
            {
                var info = new FileInfo(path);
                return info.Exists ? (info.Length, info.LastWriteTimeUtc) : (-1, default);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                return (-1, default);
            }
        }
    }
}
