using SalesforceJwt.Tokens.Internal;

namespace SalesforceJwt.Tests.Tokens;

/// <summary>
/// The learning rules over many simulated days, in process (no HTTP): the org's sliding session and the provider's
/// renewal rule (renew once the prediction says the session ends within a minute, or a tenth of a short timeout; past a
/// learned end, look at the session first) drive
/// <see cref="SessionTimeoutEstimator"/> directly. The day tests run single seeds against the fake org; these give the
/// rates behind the README's figures, and fail if a change makes them worse.
/// </summary>
public sealed class SessionTimeoutLearningStatisticsTests
{
    private const int Seeds = 16;
    private static readonly DateTimeOffset s_t0 = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    private sealed class NoEvents : SessionTimeoutEstimator.IEvents
    {
        public void Learned(TimeSpan? previous, TimeSpan? learned, TimeSpan lower, TimeSpan upper, bool read)
        {
        }

        public void ForcedEnd(TimeSpan idle, TimeSpan lower, TimeSpan upper, bool timeoutChanged)
        {
        }

        public void ConfiguredContradicted(TimeSpan configured, TimeSpan idle, TimeSpan? learned)
        {
        }

        public void ReadRefused(string reason)
        {
        }
    }

    private sealed record Outcome(int Unauthorized, int Logins, int UnauthorizedAfter, TimeSpan? Learned, int Probes);

    /// <summary>One day: bursts of two requests a second apart; <paramref name="change"/> may set a new timeout, <paramref name="revocations"/> end the session.</summary>
    private static Outcome Simulate(TimeSpan timeout, IReadOnlyList<TimeSpan> gaps, TimeSpan? changeAt = null, TimeSpan? changeTo = null, List<TimeSpan>? revocations = null)
    {
        var estimator = new SessionTimeoutEstimator(new NoEvents());
        var now = s_t0;
        var real = timeout;
        var orgLast = now;
        var acquired = now;
        var evidence = estimator.Track(now);
        int unauthorized = 0, logins = 1, after = 0, probes = 0;
        void Login()
        {
            logins++;
            evidence = estimator.Track(now);
            acquired = now;
            orgLast = now;
        }

        void Request()
        {
            if (changeAt is { } at && now - s_t0 >= at)
            {
                real = changeTo!.Value;
            }

            while (revocations is { Count: > 0 } && now - s_t0 >= revocations[0])
            {
                revocations.RemoveAt(0);
                orgLast = s_t0.AddDays(-30);
            }

            if (evidence.Tracker is { } tracker && now - acquired >= TimeSpan.FromMinutes(1)
                && now >= tracker.PredictedEnd - TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(1).Ticks, tracker.Timeout.Ticks / 10)))
            {
                // Past the learned end, the provider looks at the session once before a login replaces it.
                if (now >= tracker.PredictedEnd)
                {
                    probes++;
                    if (now - orgLast < real)
                    {
                        orgLast = now - orgLast > real / 2 ? now : orgLast;
                        evidence.RecordSuccess(now);
                        evidence.Tracker?.RecordActivity(now);
                    }
                    else
                    {
                        evidence.RecordEnd(now, configured: null);
                        Login();
                    }
                }
                else
                {
                    Login();
                }
            }

            if (now - orgLast >= real)
            {
                unauthorized++;
                after += changeAt is { } c && now - s_t0 >= c ? 1 : 0;
                evidence.RecordEnd(now, configured: null);
                Login();
            }
            else if (now - orgLast > real / 2)
            {
                orgLast = now;
            }

            evidence.RecordSuccess(now);
            evidence.Tracker?.RecordActivity(now);
        }

        Request();
        now += TimeSpan.FromSeconds(1);
        Request();
        foreach (var gap in gaps)
        {
            now += gap;
            Request();
            now += TimeSpan.FromSeconds(1);
            Request();
        }

        return new Outcome(unauthorized, logins, after, estimator.Learned, probes);
    }

    [Theory]
    [InlineData(15, 13)]
    [InlineData(30, 14)]
    [InlineData(60, 16)]
    [InlineData(120, 16)]
    [InlineData(240, 16)]
    [InlineData(480, 16)]
    [InlineData(1440, 16)]
    public void SimulatedDays_TheIssuesBoundsHoldOnMostDays(int minutes, int atLeast)
    {
        var timeout = TimeSpan.FromMinutes(minutes);
        var met = 0;
        var worst = 0;
        var looks = 0;
        for (var seed = 1; seed <= Seeds; seed++)
        {
            var gaps = SessionTimeoutLearningTests.Day(timeout, (seed * 7919) + minutes);
            var outcome = Simulate(timeout, gaps);
            var oracle = SessionTimeoutLearningTests.OracleLogins(gaps, timeout);
            met += outcome.Unauthorized <= 1 && outcome.Logins <= oracle + 1 ? 1 : 0;
            worst = Math.Max(worst, outcome.Unauthorized);
            looks += outcome.Probes;
        }

        TestContext.Current.SendDiagnosticMessage($"timeout {minutes} min: {met}/{Seeds} days with at most one 401 and logins within oracle + 1; at worst {worst} x 401 in a day; {looks / (double)Seeds:0.#} looks at a session a day");
        Assert.True(met >= atLeast, $"{met}/{Seeds}");
        Assert.True(worst <= 1, $"a day had {worst} 401s");
    }

    [Fact]
    public void SimulatedDays_AdminLowers2hTo30min_AtMostTwoMore401s_OnEveryDay()
    {
        var timeout = TimeSpan.FromHours(2);
        var followed = 0;
        for (var seed = 1; seed <= Seeds; seed++)
        {
            var outcome = Simulate(timeout, SessionTimeoutLearningTests.Day(timeout, (seed * 7919) + 120), TimeSpan.FromHours(12), TimeSpan.FromMinutes(30));
            Assert.True(outcome.UnauthorizedAfter <= 2, $"seed {seed}: {outcome.UnauthorizedAfter} x 401 after the change");
            followed += outcome.Learned == TimeSpan.FromMinutes(30) ? 1 : 0;
        }

        TestContext.Current.SendDiagnosticMessage($"lowered 2 h to 30 min: at most two more 401s on {Seeds}/{Seeds} days; estimate 30 min at day end on {followed}");
        Assert.True(followed >= 12, $"{followed}/{Seeds}");
    }

    [Fact]
    public void SimulatedDays_ThreeRevocations_EstimateStaysRightOnMostDays()
    {
        var timeout = TimeSpan.FromHours(2);
        var right = 0;
        for (var seed = 1; seed <= Seeds; seed++)
        {
            var random = new Random(seed);
            var revocations = Enumerable.Range(0, 3).Select(_ => TimeSpan.FromMinutes(random.Next(60, 23 * 60))).Order().ToList();
            var outcome = Simulate(timeout, SessionTimeoutLearningTests.Day(timeout, (seed * 7919) + 120), revocations: revocations);
            right += outcome.Learned == timeout ? 1 : 0;
        }

        TestContext.Current.SendDiagnosticMessage($"three revocations: estimate still 2 h at day end on {right}/{Seeds} days");
        Assert.True(right >= 15, $"{right}/{Seeds}");
    }
}
