using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using SalesforceJwt.Testing;
using SalesforceJwt.Tests.TestSupport;
using SalesforceJwt.Tokens;
using SalesforceJwt.Tokens.Internal;

namespace SalesforceJwt.Tests.Tokens;

/// <summary>
/// The session timeout left unconfigured: learned from which requests Salesforce accepted and when it said sessions had
/// ended, or read from AuthSession, over a simulated day against the fake org on a fake clock.
/// </summary>
public sealed class SessionTimeoutLearningTests
{
    private const string Limits = "services/data/v62.0/limits";
    private static readonly DateTimeOffset s_start = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    /// <summary>
    /// 42 irregular gaps (43 bursts) in 24 hours, scaled to the timeout: a few longer than it (one at least, up to 8 h),
    /// some between half and most of it, the rest shorter than half of it, shuffled. Deterministic for a seed.
    /// </summary>
    internal static List<TimeSpan> Day(TimeSpan timeout, int seed)
    {
        var random = new Random(seed);
        var longCount = timeout <= TimeSpan.FromHours(8) ? Math.Max(1, (int)Math.Min(5, TimeSpan.FromHours(10).Ticks / (1.5 * timeout.Ticks))) : 0;
        var mediumCount = (int)Math.Min(10, TimeSpan.FromHours(8).Ticks / (0.75 * timeout.Ticks));
        var gaps = new List<TimeSpan>();
        for (var i = 0; i < longCount; i++)
        {
            gaps.Add(Scale(timeout, 1.05 + random.NextDouble()));
        }

        for (var i = 0; i < mediumCount; i++)
        {
            gaps.Add(Scale(timeout, 0.55 + (0.3 * random.NextDouble())));
        }

        var left = TimeSpan.FromHours(24) - gaps.Aggregate(TimeSpan.Zero, (a, b) => a + b);
        var shorts = Enumerable.Range(0, 42 - gaps.Count).Select(_ => 0.02 + (0.43 * random.NextDouble())).ToList();
        var scale = Math.Min(1.0, left.Ticks / (timeout.Ticks * shorts.Sum()));
        gaps.AddRange(shorts.Select(f => Scale(timeout, f * scale)));
        return gaps.OrderBy(_ => random.Next()).ToList();
    }

    private static TimeSpan Scale(TimeSpan value, double factor) => TimeSpan.FromTicks((long)(value.Ticks * factor));

    /// <summary>
    /// The fewest logins that traffic needs: a new session only when a burst finds the last one ended by Salesforce's
    /// rule (docs/salesforce-behaviour.md#sessions-slide-on-activity), with the timeout known in advance.
    /// </summary>
    internal static int OracleLogins(IEnumerable<TimeSpan> gaps, TimeSpan timeout)
    {
        var now = TimeSpan.Zero;
        var lastRecorded = TimeSpan.Zero;
        var logins = 1;
        foreach (var gap in gaps)
        {
            now += gap;
            if (now - lastRecorded >= timeout)
            {
                logins++;
                lastRecorded = now;
            }
            else if (now - lastRecorded > timeout / 2)
            {
                lastRecorded = now;
            }
        }

        return logins;
    }

    /// <summary>Counts the 401s Salesforce sends to the app's own requests, below the SalesforceJwt handler: what callers would have met without the replay.</summary>
    private sealed class UnauthorizedCounter : DelegatingHandler
    {
        private readonly StrongBox<int> _count;

        public UnauthorizedCounter(StrongBox<int> count) => _count = count;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                Interlocked.Increment(ref _count.Value);
            }

            return response;
        }
    }

    private readonly StrongBox<int> _unauthorized = new();

    /// <summary>Session-expiry 401s that reached the SalesforceJwt handler (the fake org's own counter also sees the library's looks at a session).</summary>
    private int Unauthorized => Volatile.Read(ref _unauthorized.Value);

    private FakeOrgHarness Harness(TimeSpan orgTimeout, Action<SalesforceJwtOptions>? configure = null) =>
        new(configure, new FakeSalesforceOrgOptions { SessionTimeout = orgTimeout }, client: b => b.AddHttpMessageHandler(() => new UnauthorizedCounter(_unauthorized)));

    private static SalesforceSessionTimeoutEstimate Estimate(FakeOrgHarness h) =>
        h.Services.GetRequiredService<ISalesforceSessionTimeoutEstimator>().GetSessionTimeoutEstimate(SalesforceJwtDefaults.ClientName);

    /// <summary>One burst: two calls a second apart, then any background renewal it started is let finish before time moves on.</summary>
    private async Task BurstAsync(FakeOrgHarness h)
    {
        for (var i = 0; i < 2; i++)
        {
            using var response = await h.Client.GetAsync(Limits, _ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            h.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var connection = ((SalesforceTokenProvider)h.Tokens).FindConnection(SalesforceJwtDefaults.ClientName);
        for (var i = 0; i < 10 && connection?.Entries.Entries.Select(e => e.Pending).FirstOrDefault(p => p is not null) is Task<SalesforceToken> pending; i++)
        {
            try
            {
                await pending.WaitAsync(_ct);
            }
            catch (SalesforceJwtException)
            {
            }

            await Task.Yield();
        }
    }

    /// <summary>Runs the day; at each burst <paramref name="before"/> may change the org (revocations, a new timeout).</summary>
    private async Task RunDayAsync(FakeOrgHarness h, IReadOnlyList<TimeSpan> gaps, Action<TimeSpan>? before = null)
    {
        await BurstAsync(h);
        var elapsed = TimeSpan.Zero;
        foreach (var gap in gaps)
        {
            h.Clock.Advance(gap - TimeSpan.FromSeconds(2));
            elapsed += gap;
            before?.Invoke(elapsed);
            await BurstAsync(h);
        }
    }

    [Theory]
    [InlineData(15)]
    [InlineData(30)]
    [InlineData(60)]
    [InlineData(120)]
    [InlineData(240)]
    [InlineData(480)]
    [InlineData(1440)]
    public async Task SimulatedDay_TimeoutNotConfigured_AtMostOne401_AndLoginsWithinOraclePlusOne(int minutes)
    {
        var timeout = TimeSpan.FromMinutes(minutes);
        var gaps = Day(timeout, 15838 + minutes);
        using var h = Harness(timeout);

        await RunDayAsync(h, gaps);

        var oracle = OracleLogins(gaps, timeout);
        var logins = h.Org.Counters.LoginsByUser[h.Integration.Username];
        var looks = h.Org.ReceivedRequests.Count(r => r.Path == "/services/data/v62.0/");
        TestContext.Current.SendDiagnosticMessage($"timeout {minutes} min: {Unauthorized} x 401, {logins} logins, oracle {oracle}, {looks} looks, estimate {Estimate(h)}");
        Assert.True(Unauthorized <= 1, $"401s: {Unauthorized}");
        Assert.True(logins <= oracle + 1, $"logins {logins}, oracle {oracle}");
        var estimate = Estimate(h);
        if (oracle > 1)
        {
            // Sessions ended during the day: the first end taught the timeout.
            Assert.Equal(SalesforceSessionTimeoutSource.Learned, estimate.Source);
            Assert.InRange(timeout, estimate.LowerBound!.Value, estimate.UpperBound!.Value);
            if (minutes <= 240)
            {
                Assert.Equal(timeout, estimate.Timeout);
            }
        }
        else
        {
            Assert.Equal(SalesforceSessionTimeoutSource.Unknown, estimate.Source);
        }
    }

    [Fact]
    public async Task SimulatedDay_AuthSessionReadable_No401AtAll_OneReadPerLogin()
    {
        var timeout = TimeSpan.FromHours(2);
        var gaps = Day(timeout, 15838 + 120);
        using var h = Harness(timeout, o => o.ReadSessionTimeout = true);
        h.Integration.User.AuthSessionAccess = FakeAuthSessionAccess.Granted;

        await RunDayAsync(h, gaps);

        var logins = h.Org.Counters.LoginsByUser[h.Integration.Username];
        TestContext.Current.SendDiagnosticMessage($"AuthSession readable: {Unauthorized} x 401, {logins} logins, oracle {OracleLogins(gaps, timeout)}");
        Assert.Equal(0, Unauthorized);
        Assert.True(logins <= OracleLogins(gaps, timeout) + 1);
        Assert.Equal(logins, h.Org.AuthSessionQueries);
        var estimate = Estimate(h);
        Assert.Equal(SalesforceSessionTimeoutSource.Read, estimate.Source);
        Assert.Equal(timeout, estimate.Timeout);
        Assert.Single(h.Logs.GetSnapshot(), r => r.Id.Id == 500);
    }

    [Theory]
    [InlineData(FakeAuthSessionAccess.Refused, "INSUFFICIENT_ACCESS")]
    [InlineData(FakeAuthSessionAccess.Hidden, "INVALID_TYPE")]
    public async Task AuthSessionRefused_FallsBackToLearning_AndSaysSoOnce(FakeAuthSessionAccess access, string code)
    {
        var timeout = TimeSpan.FromHours(2);
        var gaps = Day(timeout, 15838 + 120);
        using var h = Harness(timeout, o => o.ReadSessionTimeout = true);
        h.Integration.User.AuthSessionAccess = access;

        await RunDayAsync(h, gaps);

        var refusals = h.Logs.GetSnapshot().Where(r => r.Id.Id == 504).ToList();
        Assert.Single(refusals);
        Assert.Contains(code, refusals[0].Message, StringComparison.Ordinal);
        Assert.True(Unauthorized <= 1);
        Assert.Equal(SalesforceSessionTimeoutSource.Learned, Estimate(h).Source);
        Assert.Equal(timeout, Estimate(h).Timeout);
    }

    [Fact]
    public async Task AdminLowersTimeoutMidDay_AtMostTwoMore401s_ThenNone()
    {
        var gaps = Day(TimeSpan.FromHours(2), (2 * 7919) + 120);
        using var h = Harness(TimeSpan.FromHours(2));
        var unauthorizedAtChange = -1;
        var afterChange = new List<int>();

        await RunDayAsync(h, gaps, elapsed =>
        {
            if (elapsed >= TimeSpan.FromHours(12) && unauthorizedAtChange < 0)
            {
                h.Org.SessionTimeout = TimeSpan.FromMinutes(30);
                unauthorizedAtChange = Unauthorized;
            }

            if (unauthorizedAtChange >= 0)
            {
                afterChange.Add(Unauthorized - unauthorizedAtChange);
            }
        });

        var more = Unauthorized - unauthorizedAtChange;
        Assert.InRange(more, 1, 2);

        // Once the second early end is in, no burst meets a 401 again.
        var settled = afterChange.IndexOf(more);
        Assert.True(settled >= 0 && settled < afterChange.Count - 3, "the change should be followed well before the day ends");
        Assert.Single(h.Logs.GetSnapshot(), r => r.Id.Id == 502);
        Assert.Equal(TimeSpan.FromMinutes(30), Estimate(h).Timeout);
    }

    [Fact]
    public async Task AdminRaisesTimeoutMidDay_TheLookSeesIt_AtMostOneMore401()
    {
        var gaps = Day(TimeSpan.FromHours(2), (2 * 7919) + 120);
        using var h = Harness(TimeSpan.FromMinutes(30));
        var unauthorizedAtChange = -1;

        await RunDayAsync(h, gaps, elapsed =>
        {
            if (elapsed >= TimeSpan.FromHours(12) && unauthorizedAtChange < 0)
            {
                h.Org.SessionTimeout = TimeSpan.FromHours(2);
                unauthorizedAtChange = Unauthorized;
            }
        });

        var estimate = Estimate(h);
        TestContext.Current.SendDiagnosticMessage($"raised 30 min to 2 h: {Unauthorized - unauthorizedAtChange} x 401 after, estimate {estimate}");
        Assert.InRange(Unauthorized - unauthorizedAtChange, 0, 1);
        Assert.NotEqual(TimeSpan.FromMinutes(30), estimate.Timeout);
    }

    [Fact]
    public async Task ThreeForcedRevocations_DoNotShrinkTheEstimate()
    {
        var timeout = TimeSpan.FromHours(2);
        var gaps = Day(timeout, (2 * 7919) + 120);
        var random = new Random(2);
        var revocations = Enumerable.Range(0, 3).Select(_ => TimeSpan.FromMinutes(random.Next(60, 23 * 60))).Order().ToList();
        using var h = Harness(timeout);

        await RunDayAsync(h, gaps, elapsed =>
        {
            while (revocations.Count > 0 && elapsed >= revocations[0])
            {
                revocations.RemoveAt(0);
                h.Org.ExpireAllSessions();
            }
        });

        var estimate = Estimate(h);
        Assert.Equal(timeout, estimate.Timeout);
        Assert.Equal(SalesforceSessionTimeoutSource.Learned, estimate.Source);
        Assert.True(estimate.ForcedEnds >= 1, "at least one revocation met a session the estimate said was alive");
        Assert.Contains(h.Logs.GetSnapshot(), r => r.Id.Id == 501);
    }

    [Fact]
    public async Task ConfiguredEightHours_OrgTwoHours_WarnsAfterTheSecondEarlyEnd()
    {
        using var h = Harness(TimeSpan.FromHours(2), o => o.SessionTimeout = TimeSpan.FromHours(8));

        await BurstAsync(h);
        h.Clock.Advance(TimeSpan.FromHours(3));
        await BurstAsync(h);
        Assert.DoesNotContain(h.Logs.GetSnapshot(), r => r.Id.Id == 503);

        h.Clock.Advance(TimeSpan.FromHours(3));
        await BurstAsync(h);

        var warning = Assert.Single(h.Logs.GetSnapshot(), r => r.Id.Id == 503);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, warning.Level);
        Assert.Contains("8 h", warning.Message, StringComparison.Ordinal);
        Assert.Contains("observed timeout", warning.Message, StringComparison.Ordinal);
        Assert.Equal(2, Unauthorized);
        Assert.Equal(SalesforceSessionTimeoutSource.Configured, Estimate(h).Source);
    }

    [Fact]
    public async Task Metric_ReportsTheTimeoutRenewedBy_WithItsSource()
    {
        using var h = Harness(TimeSpan.FromHours(2), o => o.ReadSessionTimeout = true);
        h.Integration.User.AuthSessionAccess = FakeAuthSessionAccess.Granted;
        using var gauge = new MetricCollector<double>(h.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
            SalesforceJwtDefaults.MeterName, "salesforcejwt.session.timeout");

        await BurstAsync(h);
        gauge.RecordObservableInstruments();

        var measurement = Assert.Single(gauge.GetMeasurementSnapshot());
        Assert.Equal(7200, measurement.Value);
        Assert.Equal("Read", measurement.Tags["source"]);
    }
}
