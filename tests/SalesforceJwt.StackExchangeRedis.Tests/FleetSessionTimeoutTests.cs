using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using SalesforceJwt.StackExchangeRedis.Internal;
using SalesforceJwt.Testing;
using SalesforceJwt.Tokens;
using StackExchange.Redis;

namespace SalesforceJwt.StackExchangeRedis.Tests;

/// <summary>
/// The session timeout learned (or read) by one instance reaches the others through the shared entry in a real Redis:
/// an instance that never saw a session end renews ahead of the ends it predicts from what another learned.
/// </summary>
public sealed class FleetSessionTimeoutTests : IDisposable
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero));
    private readonly FakeSalesforceOrg _org;
    private readonly FakeIntegration _integration;

    /// <summary>Each test's org: its session timeout is 2 h, on the fake clock every instance shares.</summary>
    public FleetSessionTimeoutTests()
    {
        _org = FakeSalesforceOrg.Start(new FakeSalesforceOrgOptions { TimeProvider = _clock, SessionTimeout = TimeSpan.FromHours(2) });
        _integration = _org.CreateIntegration();
    }

    public void Dispose() => _org.Dispose();

    /// <summary>Counts the 401s Salesforce sends to one instance's own API requests, below the SalesforceJwt handler.</summary>
    private sealed class UnauthorizedCounter(StrongBox<int> count) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                Interlocked.Increment(ref count.Value);
            }

            return response;
        }
    }

    /// <summary>Two instances on one fake _clock, the org's timeout 2 h and not configured; <paramref name="configure"/> may adjust instance i.</summary>
    private async Task<(Fleet Fleet, List<StrongBox<int>> Unauthorized)> StartAsync(string redis, Action<int, SalesforceJwtOptions>? configure = null)
    {
        var unauthorized = new List<StrongBox<int>>();
        var fleet = await Fleet.StartAsync(redis, 2, services =>
        {
            // Instances are built one after the other: the i-th call is instance i.
            var instance = unauthorized.Count;
            var count = new StrongBox<int>();
            unauthorized.Add(count);
            services.AddSingleton<TimeProvider>(_clock);
            services.AddSalesforceJwt(options =>
            {
                _integration.Configure(options);
                configure?.Invoke(instance, options);
            }).AddHttpMessageHandler(() => new UnauthorizedCounter(count));
        });
        return (fleet, unauthorized);
    }

    private static SalesforceSessionTimeoutEstimate Estimate(Fleet fleet, int instance) =>
        fleet.Instances[instance].GetRequiredService<ISalesforceSessionTimeoutEstimator>().GetSessionTimeoutEstimate(SalesforceJwtDefaults.ClientName);

    /// <summary>One burst on one instance: two calls a second apart; a renewal ahead of the end it started is let finish before time moves on.</summary>
    private async Task BurstAsync(Fleet fleet, int instance, MetricCollector<long>? proactive = null)
    {
        var before = proactive?.GetMeasurementSnapshot().Count ?? 0;
        var old = (await fleet.Tokens(instance).GetTokenAsync(SalesforceJwtDefaults.ClientName, cancellationToken: _ct)).AccessToken;
        for (var i = 0; i < 2; i++)
        {
            using var response = await fleet.Client(instance).GetAsync(Fleet.Limits, _ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        if (proactive is not null && proactive.GetMeasurementSnapshot().Count > before)
        {
            var deadline = Stopwatch.StartNew();
            while ((await fleet.Tokens(instance).GetTokenAsync(SalesforceJwtDefaults.ClientName, cancellationToken: _ct)).AccessToken == old)
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "The renewal ahead of the end never finished.");
                await Task.Yield();
            }
        }
    }

    [Fact]
    public async Task OneInstanceLearnsTwoHoursFromOneEnd_AnotherThatNeverSawAnEnd_RenewsAheadThroughTheDay_WithNo401()
    {
        await using var redis = await RedisServer.SharedAsync();
        var (fleet, unauthorized) = await StartAsync(redis.Address);
        await using var _ = fleet;
        using var proactive = new MetricCollector<long>(fleet.Instances[1].GetRequiredService<IMeterFactory>(), SalesforceJwtDefaults.MeterName, "salesforcejwt.reauthentications");

        // Instance 0 alone: used at 0, 70 and 140 min, then idle past 2 h: one 401 tells it the timeout is 2 h exactly.
        await BurstAsync(fleet, 0);
        _clock.Advance(TimeSpan.FromMinutes(70));
        await BurstAsync(fleet, 0);
        _clock.Advance(TimeSpan.FromMinutes(70));
        await BurstAsync(fleet, 0);
        Assert.Equal(SalesforceSessionTimeoutSource.Unknown, Estimate(fleet, 0).Source);
        _clock.Advance(TimeSpan.FromMinutes(130));
        await BurstAsync(fleet, 0);
        Assert.Equal(1, unauthorized[0].Value);
        Assert.Equal(TimeSpan.FromHours(2), Estimate(fleet, 0).Timeout);
        Assert.Equal(SalesforceSessionTimeoutSource.Learned, Estimate(fleet, 0).Source);

        // Instance 1 never saw a session: it knows nothing until it takes the shared token, and the estimate with it.
        Assert.Equal(SalesforceSessionTimeoutSource.Unknown, Estimate(fleet, 1).Source);
        var loginsBefore = _org.Counters.TokenRequests;
        await BurstAsync(fleet, 1, proactive);
        Assert.Equal(loginsBefore, _org.Counters.TokenRequests);
        var adopted = Estimate(fleet, 1);
        Assert.Equal(TimeSpan.FromHours(2), adopted.Timeout);
        Assert.Equal(SalesforceSessionTimeoutSource.Learned, adopted.Source);

        // The rest of the day on instance 1 alone: gaps shorter than half the timeout, between half and all of it, a
        // few within a minute of the end, and longer than it. Every end is predicted: not one 401 reaches its handler.
        double[] gaps = [30, 75, 150, 10, 90, 119.5, 45, 200, 61, 119.3, 5, 135, 70, 70, 70, 119.6, 240, 25, 100];
        foreach (var gap in gaps)
        {
            _clock.Advance(TimeSpan.FromMinutes(gap) - TimeSpan.FromSeconds(2));
            await BurstAsync(fleet, 1, proactive);
        }

        var logins = _org.Counters.TokenRequests - loginsBefore;
        TestContext.Current.SendDiagnosticMessage(
            $"instance 1: {unauthorized[1].Value} x 401, {logins} logins, {proactive.GetMeasurementSnapshot().Count} renewals ahead, estimate {Estimate(fleet, 1)}");
        Assert.Equal(0, unauthorized[1].Value);
        Assert.Equal(1, unauthorized[0].Value);
        Assert.True(logins >= 5, $"logins: {logins}");
        Assert.True(proactive.GetMeasurementSnapshot().Count >= 1, "no renewal ahead of an end");
        Assert.Equal(TimeSpan.FromHours(2), Estimate(fleet, 1).Timeout);
    }

    [Fact]
    public async Task AdminLowersTheTimeout_OneInstanceFollowsIt_TheOtherTakesTheNewEstimate_AndMeetsNo401()
    {
        await using var redis = await RedisServer.SharedAsync();
        var (fleet, unauthorized) = await StartAsync(redis.Address);
        await using var _ = fleet;

        // Both instances know 2 h: instance 0 learned it from one end, instance 1 took it with the token.
        foreach (var gap in new[] { 0, 70, 70, 130 })
        {
            _clock.Advance(TimeSpan.FromMinutes(gap));
            await BurstAsync(fleet, 0);
        }

        await BurstAsync(fleet, 1);
        Assert.Equal(TimeSpan.FromHours(2), Estimate(fleet, 1).Timeout);
        var held = (await fleet.Tokens(1).GetTokenAsync(SalesforceJwtDefaults.ClientName, cancellationToken: _ct)).AccessToken;

        // The admin lowers it to 30 min; instance 0 meets two sessions that end far too soon, and follows.
        _org.SessionTimeout = TimeSpan.FromMinutes(30);
        foreach (var gap in new[] { 10, 40, 40 })
        {
            _clock.Advance(TimeSpan.FromMinutes(gap));
            await BurstAsync(fleet, 0);
        }

        var followed = Estimate(fleet, 0);
        Assert.True(followed.Timeout <= TimeSpan.FromMinutes(30), $"instance 0: {followed}");
        Assert.Equal(3, unauthorized[0].Value);

        // Instance 1 dropped the ended token on instance 0's notice; the next token it takes brings the new estimate.
        var deadline = Stopwatch.StartNew();
        while ((await fleet.Tokens(1).GetTokenAsync(SalesforceJwtDefaults.ClientName, cancellationToken: _ct)).AccessToken == held)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "Instance 1 still holds the ended token.");
            await Task.Yield();
        }

        var taken = Estimate(fleet, 1);
        Assert.Equal(followed.Timeout, taken.Timeout);
        Assert.Equal(2, taken.ForcedEnds);

        // Instance 1 alone under the new timeout: no 401 reaches it.
        using var proactive = new MetricCollector<long>(fleet.Instances[1].GetRequiredService<IMeterFactory>(), SalesforceJwtDefaults.MeterName, "salesforcejwt.reauthentications");
        foreach (var gap in new[] { 1, 10, 20, 45, 5, 25, 29.5, 60, 16, 14, 40 })
        {
            _clock.Advance(TimeSpan.FromMinutes(gap));
            await BurstAsync(fleet, 1, proactive);
        }

        TestContext.Current.SendDiagnosticMessage($"lowered: instance 0 {unauthorized[0].Value} x 401, instance 1 {unauthorized[1].Value} x 401, estimate {Estimate(fleet, 1)}");
        Assert.Equal(0, unauthorized[1].Value);
        Assert.Equal(TimeSpan.FromMinutes(30), Estimate(fleet, 1).Timeout);
    }

    [Fact]
    public async Task OneInstanceReadsTheTimeout_AnotherThatKnowsNothing_TakesItWithTheToken_WithoutReadingItself()
    {
        await using var redis = await RedisServer.SharedAsync();
        _integration.User.AuthSessionAccess = FakeAuthSessionAccess.Granted;
        var (fleet, unauthorized) = await StartAsync(redis.Address, (instance, options) => options.ReadSessionTimeout = instance == 0);
        await using var _ = fleet;

        await BurstAsync(fleet, 0);
        Assert.Equal(SalesforceSessionTimeoutSource.Read, Estimate(fleet, 0).Source);
        Assert.Equal(SalesforceSessionTimeoutSource.Unknown, Estimate(fleet, 1).Source);

        await BurstAsync(fleet, 1);

        var estimate = Estimate(fleet, 1);
        Assert.Equal(TimeSpan.FromHours(2), estimate.Timeout);
        Assert.Equal(SalesforceSessionTimeoutSource.Read, estimate.Source);
        Assert.Equal(1, _org.Counters.TokenRequests);
        Assert.Equal(1, _org.AuthSessionQueries);
        Assert.Equal(0, unauthorized[0].Value + unauthorized[1].Value);

        // It travels inside the protected value: Redis holds only the fingerprint and the encrypted payload.
        using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Address);
        var server = connection.GetServer(connection.GetEndPoints()[0]);
        var key = Assert.Single(server.Keys(pattern: fleet.Prefix + "token:*").ToList());
        var fields = await connection.GetDatabase().HashGetAllAsync(key);
        Assert.Equal(["f", "v"], fields.Select(f => f.Name.ToString()).Order(StringComparer.Ordinal));
        var stored = (byte[])fields.Single(f => f.Name == "v").Value!;
        Assert.DoesNotContain("session_timeout", Encoding.UTF8.GetString(stored), StringComparison.Ordinal);
        var protector = fleet.Instances[0].GetRequiredService<IDataProtectionProvider>().CreateProtector(RedisSharedTokenStore.ProtectionPurpose);
        Assert.NotNull(SharedTokenSerializer.Deserialize(protector.Unprotect(stored)).SessionTimeoutEvidence);
    }
}
