using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SalesforceJwt.Assertions.Internal;
using SalesforceJwt.DependencyInjection.Internal;

namespace SalesforceJwt.Diagnostics.Internal;

/// <summary>
/// Checks every connection's certificate at start-up and once a day, and warns while it is within the warning window
/// or expired. Salesforce keeps accepting assertions after the uploaded certificate expires
/// (docs/salesforce-behaviour.md#an-expired-certificate-does-not-stop-the-jwt-bearer-flow), so nothing else would ever say so.
/// </summary>
internal sealed class CertificateExpiryMonitor : IDisposable
{
    internal static readonly TimeSpan CheckInterval = TimeSpan.FromDays(1);

    private readonly IOptionsMonitor<SalesforceJwtOptions> _options;
    private readonly IReadOnlyList<string> _connections;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, CertificateStatus> _statuses = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _toldExpiryUnknown = new(StringComparer.Ordinal);
    private readonly IDisposable? _changeSubscription;
    private readonly object _timerLock = new();
    private ITimer? _timer;

    public CertificateExpiryMonitor(
        IOptionsMonitor<SalesforceJwtOptions> options,
        IEnumerable<SalesforceConnectionRegistration> connections,
        TimeProvider timeProvider,
        SalesforceJwtTelemetry telemetry,
        ILogger<CertificateExpiryMonitor> logger)
    {
        _options = options;
        _connections = connections.Select(c => c.Name).Distinct(StringComparer.Ordinal).ToList();
        _timeProvider = timeProvider;
        _logger = logger;
        _changeSubscription = options.OnChange((_, name) => _statuses.TryRemove(name ?? Options.DefaultName, out var removed));
        telemetry.ObserveCertificateDaysLeft(Measure);
    }

    public IReadOnlyList<string> Connections => _connections;

    /// <summary>Checks now, then once a day. Calling it again does nothing.</summary>
    public void Start()
    {
        lock (_timerLock)
        {
            if (_timer is not null)
            {
                return;
            }

            _timer = _timeProvider.CreateTimer(_ => CheckAll(), null, CheckInterval, CheckInterval);
        }

        CheckAll();
    }

    /// <summary>Gets what is known of a connection's certificate, loading the key once if no check has run yet.</summary>
    /// <exception cref="OptionsValidationException">The connection's options are not valid.</exception>
    public CertificateStatus GetStatus(string connection) =>
        _statuses.TryGetValue(connection, out var status) ? status : Load(connection);

    private void CheckAll()
    {
        foreach (var connection in _connections)
        {
            CertificateStatus status;
            try
            {
                status = Load(connection);
            }
            catch (Exception ex) when (ex is OptionsValidationException or SalesforceJwtException)
            {
                // Start-up validation and the health check say what is wrong with the configuration.
                continue;
            }

            Report(status, _options.Get(connection).CertificateExpiryWarning);
        }
    }

    private CertificateStatus Load(string connection)
    {
        var options = _options.Get(connection);
        using var key = SigningKeyLoader.Load(options);
        var status = CertificateStatus.From(connection, options, key);
        _statuses[connection] = status;
        return status;
    }

    private void Report(CertificateStatus status, TimeSpan window)
    {
        if (!status.HasCertificate)
        {
            if (_toldExpiryUnknown.TryAdd(status.Connection, true))
            {
                Log.CertificateExpiryUnknown(_logger, status.Connection);
            }

            return;
        }

        var now = _timeProvider.GetUtcNow();
        var notAfter = status.NotAfter!.Value;
        if (notAfter <= now)
        {
            Log.CertificateExpired(_logger, status.Connection, status.Subject!, status.Thumbprint!, notAfter, (int)Math.Floor((now - notAfter).TotalDays));
        }
        else if (notAfter - now <= window)
        {
            Log.CertificateExpiring(_logger, status.Connection, status.Subject!, status.Thumbprint!, notAfter, status.DaysLeft(now));
        }
    }

    private IEnumerable<Measurement<double>> Measure()
    {
        var now = _timeProvider.GetUtcNow();
        foreach (var status in _statuses.Values)
        {
            if (status.NotAfter is { } notAfter)
            {
                yield return new Measurement<double>((notAfter - now).TotalDays, new KeyValuePair<string, object?>("salesforcejwt.connection", status.Connection));
            }
        }
    }

    public void Dispose()
    {
        _changeSubscription?.Dispose();
        lock (_timerLock)
        {
            _timer?.Dispose();
        }
    }
}
