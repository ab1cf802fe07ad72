using Microsoft.Extensions.Logging;
using SalesforceJwt.Diagnostics;

namespace SalesforceJwt.Tokens.Internal;

/// <summary>Turns what a connection's <see cref="SessionTimeoutEstimator"/> reports into log lines, each change once.</summary>
internal sealed class SessionTimeoutLog(ILogger logger, string connection) : SessionTimeoutEstimator.IEvents
{
    private int _readRefused;

    public void Learned(TimeSpan? previous, TimeSpan? learned, TimeSpan lower, TimeSpan upper, bool read) =>
        Log.SessionTimeoutEstimated(logger, connection, Format(learned), read ? "read from AuthSession" : "learned", Format(lower), Format(upper), Format(previous));

    public void ForcedEnd(TimeSpan idle, TimeSpan lower, TimeSpan upper, bool timeoutChanged)
    {
        if (timeoutChanged)
        {
            Log.SessionTimeoutChanged(logger, connection, Format(lower), Format(upper));
        }
        else
        {
            Log.SessionForcedEnd(logger, connection, Format(idle), Format(lower), Format(upper));
        }
    }

    public void ConfiguredContradicted(TimeSpan configured, TimeSpan idle, TimeSpan? learned) =>
        Log.ConfiguredSessionTimeoutContradicted(logger, connection, Format(configured), Format(idle), learned is null ? $"at most {Format(idle)}" : Format(learned));

    /// <summary>Logs the first refusal of the <c>AuthSession</c> read only.</summary>
    public void ReadRefused(string reason)
    {
        if (Interlocked.Exchange(ref _readRefused, 1) == 0)
        {
            Log.SessionTimeoutReadRefused(logger, connection, reason);
        }
    }

    /// <summary>A duration as people read it: 2 h, 30 min, 1 h 30 min, 45 s; "unknown" for none.</summary>
    public static string Format(TimeSpan? value)
    {
        if (value is not { } v)
        {
            return "unknown";
        }

        if (v.TotalMinutes < 1)
        {
            return FormattableString.Invariant($"{v.TotalSeconds:0} s");
        }

        var hours = (int)v.TotalHours;
        var minutes = v.Minutes;
        return hours == 0 ? FormattableString.Invariant($"{(int)v.TotalMinutes} min")
            : minutes == 0 ? FormattableString.Invariant($"{hours} h")
            : FormattableString.Invariant($"{hours} h {minutes} min");
    }
}
