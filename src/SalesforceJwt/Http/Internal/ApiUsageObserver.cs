using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SalesforceJwt.Diagnostics;

namespace SalesforceJwt.Http.Internal;

/// <summary>
/// Reads <c>Sforce-Limit-Info: api-usage=N/M</c> from each response of a Salesforce client into the usage gauges, and
/// logs one warning when a connection's usage crosses <see cref="SalesforceJwtOptions.ApiUsageWarningThreshold"/>
/// (docs/salesforce-behaviour.md#api-usage-header). Runs on every response, so it allocates nothing on the common path.
/// </summary>
internal sealed class ApiUsageObserver
{
    private const string HeaderName = "Sforce-Limit-Info";
    private const string UsageKey = "api-usage=";

    private readonly ConcurrentDictionary<string, WarningState> _states = new(StringComparer.Ordinal);
    private readonly IOptionsMonitor<SalesforceJwtOptions> _options;
    private readonly ILogger<ApiUsageObserver> _logger;

    public ApiUsageObserver(IOptionsMonitor<SalesforceJwtOptions> options, SalesforceJwtTelemetry telemetry, ILogger<ApiUsageObserver> logger)
    {
        _options = options;
        _logger = logger;
        telemetry.ObserveApiUsage(
            () => _states.Where(s => s.Value.Seen).Select(s => new Measurement<long>(Volatile.Read(ref s.Value.Used), new KeyValuePair<string, object?>("connection", s.Key))),
            () => _states.Where(s => s.Value.Seen).Select(s => new Measurement<long>(Volatile.Read(ref s.Value.Limit), new KeyValuePair<string, object?>("connection", s.Key))));
    }

    public void Observe(string connectionName, HttpResponseMessage response)
    {
        if (!TryRead(response, out var used, out var max))
        {
            return;
        }

        // Every response of a busy app passes here on every core: shared fields are written only when they change.
        var state = _states.GetOrAdd(connectionName, static _ => new WarningState());
        if (Volatile.Read(ref state.Used) != used)
        {
            Volatile.Write(ref state.Used, used);
        }

        if (Volatile.Read(ref state.Limit) != max)
        {
            Volatile.Write(ref state.Limit, max);
        }

        if (!state.Seen)
        {
            state.Seen = true;
        }

        var threshold = _options.Get(connectionName).ApiUsageWarningThreshold;
        var above = max > 0 && used >= threshold * max;
        if (above)
        {
            if (Volatile.Read(ref state.Warned) == 0 && Interlocked.Exchange(ref state.Warned, 1) == 0)
            {
                Log.ApiUsageHigh(_logger, connectionName, used, max, 100.0 * used / max, 100.0 * threshold);
            }
        }
        else if (Volatile.Read(ref state.Warned) == 1 && Interlocked.Exchange(ref state.Warned, 0) == 1)
        {
            Log.ApiUsageBelowThreshold(_logger, connectionName, used, max);
        }
    }

    private static bool TryRead(HttpResponseMessage response, out long used, out long max)
    {
        used = max = 0;
#if NET6_0_OR_GREATER
        if (!LazyMessageParts.MayHaveHeaders(response) || !response.Headers.NonValidated.TryGetValues(HeaderName, out var values))
        {
            return false;
        }
#else
        if (!LazyMessageParts.MayHaveHeaders(response) || !response.Headers.TryGetValues(HeaderName, out var values))
        {
            return false;
        }
#endif
        foreach (var value in values)
        {
            if (TryParse(value, out used, out max))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Finds <c>api-usage=N/M</c> among comma-separated entries; <c>per-app-api-usage=</c> does not count.</summary>
    internal static bool TryParse(string value, out long used, out long max)
    {
        used = max = 0;
        var from = 0;
        while (true)
        {
            var at = value.IndexOf(UsageKey, from, StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                return false;
            }

            from = at + UsageKey.Length;
            if (at == 0 || value[at - 1] is ' ' or ',' or ';')
            {
                break;
            }
        }

        var i = from;
        return ReadNumber(value, ref i, out used) && i < value.Length && value[i++] == '/' && ReadNumber(value, ref i, out max);
    }

    private static bool ReadNumber(string text, ref int i, out long number)
    {
        number = 0;
        var start = i;
        while (i < text.Length && text[i] is >= '0' and <= '9' && i - start < 18)
        {
            number = (number * 10) + (text[i] - '0');
            i++;
        }

        return i > start;
    }

    private sealed class WarningState
    {
        public int Warned;
        public long Used;
        public long Limit;
        public volatile bool Seen;
    }
}
