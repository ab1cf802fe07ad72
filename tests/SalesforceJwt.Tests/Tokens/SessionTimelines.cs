using SalesforceJwt.Tokens.Internal;

namespace SalesforceJwt.Tests.Tokens;

/// <summary>Hand-made session timelines for the learning tests: minutes from one start, and the events they raise.</summary>
internal static class SessionTimelines
{
    private static readonly DateTimeOffset s_t0 = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset At(double minutes) => s_t0.AddMinutes(minutes);

    /// <summary>The 2 h timeout learned from one session end: used at 70 and 140 min, rejected at 4 h 30 min.</summary>
    public static SessionTimeoutEstimator LearnedTwoHours(SessionTimeoutEstimator.IEvents events)
    {
        var estimator = new SessionTimeoutEstimator(events);
        var token = estimator.Track(At(0));
        token.RecordSuccess(At(70));
        token.RecordSuccess(At(140));
        token.RecordEnd(At(270), configured: null);
        Assert.Equal(TimeSpan.FromHours(2), estimator.Learned);
        return estimator;
    }

    /// <summary>The estimator's events, one short line each.</summary>
    public sealed class Events : SessionTimeoutEstimator.IEvents
    {
        public List<string> Lines { get; } = [];

        public void Learned(TimeSpan? previous, TimeSpan? learned, TimeSpan lower, TimeSpan upper, bool read) => Lines.Add($"learned {learned}");

        public void ForcedEnd(TimeSpan idle, TimeSpan lower, TimeSpan upper, bool timeoutChanged) => Lines.Add(timeoutChanged ? "changed" : "forced");

        public void ConfiguredContradicted(TimeSpan configured, TimeSpan idle, TimeSpan? learned) => Lines.Add("configured contradicted");

        public void ReadRefused(string reason) => Lines.Add("refused " + reason);
    }
}
