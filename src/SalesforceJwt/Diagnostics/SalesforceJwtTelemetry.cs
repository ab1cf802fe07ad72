using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SalesforceJwt.Diagnostics;

/// <summary>
/// The library's instruments, on one <see cref="Meter"/> named <see cref="SalesforceJwtDefaults.TelemetryName"/> from
/// <see cref="IMeterFactory"/>, and its one <see cref="System.Diagnostics.ActivitySource"/> of the same name.
/// </summary>
internal sealed class SalesforceJwtTelemetry
{
    public static readonly ActivitySource ActivitySource = new(SalesforceJwtDefaults.ActivitySourceName);

    private readonly Meter _meter;

    public SalesforceJwtTelemetry(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(SalesforceJwtDefaults.MeterName);
        TokenRequests = _meter.CreateCounter<long>("salesforcejwt.token.requests", "{request}", "Token exchanges with Salesforce, by outcome (success or the error code).");
        TokenDuration = _meter.CreateHistogram<double>("salesforcejwt.token.duration", "s", "How long a token exchange took, retries included.");
        Reauthentications = _meter.CreateCounter<long>("salesforcejwt.reauthentications", "{renewal}", "New tokens asked for because a session ended or was about to, by reason.");
        Replays = _meter.CreateCounter<long>("salesforcejwt.replays", "{request}", "Requests sent again after re-authentication, by result (succeeded, rejected, skipped).");
        SharedWaits = _meter.CreateCounter<long>("salesforcejwt.token.shared_waits", "{request}", "Requests that waited on an exchange another caller had started, instead of starting their own.");
        PausesOpened = _meter.CreateCounter<long>("salesforcejwt.pauses", "{pause}", "Pauses of token requests opened, by reason (login rate exceeded, rejected brand-new token).");
        RenewalFailures = _meter.CreateCounter<long>("salesforcejwt.renewal.failures", "{renewal}", "Background renewals that failed while the current token was still served to callers.");
        SessionAge = _meter.CreateHistogram<double>("salesforcejwt.session.age", "s", "Age of a token when Salesforce said its session had ended: the org's real timeout.");
        SharedHits = _meter.CreateCounter<long>("salesforcejwt.shared_cache.hits", "{token}", "Tokens taken from the shared token store (another instance's login) instead of logging in.");
        SharedMisses = _meter.CreateCounter<long>("salesforcejwt.shared_cache.misses", "{token}", "Reads of the shared token store that found no usable token.");
        SharedLockWaits = _meter.CreateCounter<long>("salesforcejwt.shared_cache.lock_waits", "{wait}", "Waits for the token another instance was fetching under the shared login lock.");
        SharedFallbacks = _meter.CreateCounter<long>("salesforcejwt.shared_cache.fallbacks", "{fallback}", "Times the shared token store failed, was slow, or its lock holder shared nothing in time, so the instance logged in on its own; by reason.");
    }

    public Counter<long> TokenRequests { get; }

    public Histogram<double> TokenDuration { get; }

    public Counter<long> Reauthentications { get; }

    public Counter<long> Replays { get; }

    public Counter<long> SharedWaits { get; }

    public Counter<long> PausesOpened { get; }

    public Histogram<double> SessionAge { get; }

    public Counter<long> RenewalFailures { get; }

    public Counter<long> SharedHits { get; }

    public Counter<long> SharedMisses { get; }

    public Counter<long> SharedLockWaits { get; }

    public Counter<long> SharedFallbacks { get; }

    /// <summary>Reports the latest <c>Sforce-Limit-Info</c> figures per connection (observable gauges: they exist on every target).</summary>
    public void ObserveApiUsage(Func<IEnumerable<Measurement<long>>> used, Func<IEnumerable<Measurement<long>>> limit)
    {
        _meter.CreateObservableGauge("salesforcejwt.api.requests.used", used, "{request}", "API requests the org has used in the last 24 hours, from the Sforce-Limit-Info header, by connection.");
        _meter.CreateObservableGauge("salesforcejwt.api.requests.limit", limit, "{request}", "The org's daily API request allocation, from the Sforce-Limit-Info header, by connection.");
    }

    /// <summary>Reports how many connection-and-user pairs are paused right now.</summary>
    public void ObserveSessionTimeouts(Func<IEnumerable<Measurement<double>>> timeouts) =>
        _meter.CreateObservableGauge("salesforcejwt.session.timeout", timeouts, "s", "The session timeout tokens are renewed by, by connection and source (Configured, Read or Learned from how sessions ended).");

    public void ObservePausedCount(Func<int> pausedCount) =>
        _meter.CreateObservableGauge("salesforcejwt.pauses.active", pausedCount, "{pause}", "Connection-and-user pairs whose token requests are paused now.");

    /// <summary>Reports the days left until each connection's certificate expires (negative once expired).</summary>
    public void ObserveCertificateDaysLeft(Func<IEnumerable<Measurement<double>>> daysLeft) =>
        _meter.CreateObservableGauge("salesforcejwt.certificate.days_left", daysLeft, "d", "Days until the connection's certificate expires; negative once expired. Salesforce keeps accepting it, but rotation is due.");
}
