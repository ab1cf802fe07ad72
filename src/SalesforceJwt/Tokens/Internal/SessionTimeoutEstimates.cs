using System.Diagnostics.Metrics;

namespace SalesforceJwt.Tokens.Internal;

/// <summary>Builds the public view of a connection's session timeout, for the API, the metric and the doctor.</summary>
internal static class SessionTimeoutEstimates
{
    public static SalesforceSessionTimeoutEstimate For(TimeSpan? configured, SessionTimeoutEstimator? sessions)
    {
        (TimeSpan Lower, TimeSpan Upper)? bounds = sessions?.Bounds;
        var forced = sessions?.ForcedEnds ?? 0;
        var (timeout, source) = configured is { } value ? (value, SalesforceSessionTimeoutSource.Configured)
            : sessions?.Read is { } read ? (read, SalesforceSessionTimeoutSource.Read)
            : sessions?.Learned is { } learned ? (learned, SalesforceSessionTimeoutSource.Learned)
            : ((TimeSpan?)null, SalesforceSessionTimeoutSource.Unknown);
        return new SalesforceSessionTimeoutEstimate(timeout, source, bounds?.Lower, bounds?.Upper, forced);
    }

    /// <summary>The timeout each used connection renews by, in seconds, tagged with the connection and the source.</summary>
    public static IEnumerable<Measurement<double>> Measure(IEnumerable<TokenConnection> connections)
    {
        foreach (var connection in connections)
        {
            var estimate = For(connection.Options.SessionTimeout, connection.Sessions);
            if (estimate.Timeout is { } timeout)
            {
                yield return new Measurement<double>(timeout.TotalSeconds,
                    new KeyValuePair<string, object?>("salesforcejwt.connection", connection.Name),
                    new KeyValuePair<string, object?>("source", estimate.Source.ToString()));
            }
        }
    }
}
