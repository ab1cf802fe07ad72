using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SalesforceJwt.Testing;
using SalesforceJwt.Tests.TestSupport;

namespace SalesforceJwt.Tests.Tokens;

/// <summary>Token lifecycle against the fake org on a fake clock: proactive renewal, endpoint faults, pauses.</summary>
public sealed partial class TokenLifecycleTests
{
    private const string Limits = "services/data/v62.0/limits";
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private async Task<HttpStatusCode> GetAsync(FakeOrgHarness h)
    {
        using var response = await h.Client.GetAsync(Limits, _ct);
        return response.StatusCode;
    }

    /// <summary>
    /// Salesforce's rule (docs/salesforce-behaviour.md#sessions-slide-on-activity), applied to a schedule of calls: the session ends after the timeout without recorded
    /// activity, and activity is recorded only once more than half the timeout has passed. Returns the session ends.
    /// </summary>
    private static int RealSessionEnds(IEnumerable<TimeSpan> gaps, TimeSpan timeout)
    {
        var now = TimeSpan.Zero;
        var lastRecorded = TimeSpan.Zero;
        var ends = 0;
        foreach (var gap in gaps)
        {
            now += gap;
            if (now - lastRecorded >= timeout)
            {
                ends++;
                lastRecorded = now;
            }
            else if (now - lastRecorded > timeout / 2)
            {
                lastRecorded = now;
            }
        }

        return ends;
    }

    private static readonly TimeSpan[] s_day =
    [
        TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(50), TimeSpan.FromMinutes(70), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(3), TimeSpan.FromMinutes(90), TimeSpan.FromMinutes(45), TimeSpan.FromMinutes(5),
        TimeSpan.FromHours(5), TimeSpan.FromMinutes(61), TimeSpan.FromMinutes(61), TimeSpan.FromMinutes(61),
        TimeSpan.FromMinutes(20), TimeSpan.FromHours(2) + TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(100),
        TimeSpan.FromMinutes(30), TimeSpan.FromHours(6),
    ];

    [Fact]
    public async Task ProactiveRenewal_OverASimulatedDay_NoCallerSeesA401_AndLoginsMatchRealSessionEnds()
    {
        var timeout = TimeSpan.FromHours(2);
        using var h = new FakeOrgHarness(o => o.SessionTimeout = timeout, new FakeSalesforceOrgOptions { SessionTimeout = timeout });

        Assert.Equal(HttpStatusCode.OK, await GetAsync(h));
        foreach (var gap in s_day)
        {
            h.Clock.Advance(gap);
            Assert.Equal(HttpStatusCode.OK, await GetAsync(h));
        }

        var ends = RealSessionEnds(s_day, timeout);
        Assert.True(ends >= 4, "the schedule should end sessions several times");
        Assert.Equal(0, h.Org.Counters.UnauthorizedServed);
        Assert.Equal(1 + ends, h.Org.Counters.LoginsByUser[h.Integration.Username]);
    }

    [Fact]
    public async Task WithoutSessionTimeout_TheFirstEndCostsOne401ThatTeachesTheTimeout_LaterEndsAreRenewedAhead()
    {
        var timeout = TimeSpan.FromHours(2);
        using var h = new FakeOrgHarness(orgOptions: new FakeSalesforceOrgOptions { SessionTimeout = timeout });

        Assert.Equal(HttpStatusCode.OK, await GetAsync(h));
        foreach (var gap in s_day)
        {
            h.Clock.Advance(gap);
            Assert.Equal(HttpStatusCode.OK, await GetAsync(h));
        }

        // The caller never sees it: the one 401 is replayed (Tokens/SessionTimeoutLearningTests covers learning in depth).
        // The org's other 401s answer the library's own looks at a session past its learned end, never a caller's request.
        var ends = RealSessionEnds(s_day, timeout);
        Assert.Equal(1, h.Org.ReceivedRequests.Count(r => r.Status == 401 && r.Path.EndsWith("/limits", StringComparison.Ordinal)));
        Assert.Equal(1 + ends, h.Org.Counters.LoginsByUser[h.Integration.Username]);
    }

    [Fact]
    public async Task JwtFormatAccessToken_IsRenewedBeforeItsOwnExp()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero));
        var issued = 0;
        var tokenHandler = new StubHttpHandler((_, _) =>
        {
            issued++;
            var exp = clock.GetUtcNow().AddMinutes(30).ToUnixTimeSeconds();
            var payload = Convert.ToBase64String(Encoding.UTF8.GetBytes($$"""{"sub":"005","exp":{{exp}}}""")).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            var jwt = $"eyJhbGciOiJSUzI1NiJ9.{payload}.c2ln{issued}";
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent($$"""{"access_token":"{{jwt}}","instance_url":"https://acme.my.salesforce.com"}""", Encoding.UTF8, "application/json"),
            };
        });
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSalesforceJwt(o => { o.ConsumerKey = "k"; o.Username = "u@example.com"; o.PrivateKey = TestKeys.Shared; });
        services.AddHttpClient(SalesforceJwtDefaults.TokenClientName).ConfigurePrimaryHttpMessageHandler(() => tokenHandler);
        using var provider = services.BuildServiceProvider();
        var tokens = provider.GetRequiredService<SalesforceJwt.Tokens.ISalesforceTokenProvider>();

        var first = await tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, cancellationToken: _ct);
        clock.Advance(TimeSpan.FromMinutes(20));
        var same = await tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, cancellationToken: _ct);
        clock.Advance(TimeSpan.FromMinutes(9.5));
        var servedWhileRenewing = await tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, cancellationToken: _ct);
        clock.Advance(TimeSpan.FromMinutes(1));
        var renewed = await tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, cancellationToken: _ct);

        Assert.Equal(new DateTimeOffset(2026, 11, 26, 8, 30, 0, TimeSpan.Zero), first.ExpiresAt);
        Assert.Same(first, same);
        Assert.Same(first, servedWhileRenewing);
        Assert.NotEqual(first.AccessToken, renewed.AccessToken);
        Assert.Equal(2, issued);
    }

    [Theory]
    [InlineData(FakeTokenFault.ServiceUnavailable)]
    [InlineData(FakeTokenFault.MaintenancePage)]
    [InlineData(FakeTokenFault.TooManyRequests)]
    [InlineData(FakeTokenFault.DropConnection)]
    public async Task TokenEndpoint_TransientFaults_AreRetried_TheCallerSeesSuccess(FakeTokenFault fault)
    {
        using var h = new FakeOrgHarness();
        h.Org.InjectTokenFaults(fault, count: 2);

        Assert.Equal(HttpStatusCode.OK, await GetAsync(h));

        Assert.Equal(3, h.Org.Counters.TokenRequests);
        Assert.Equal(1, h.Org.Counters.TokensIssued);
    }

    [Fact]
    public async Task TokenEndpoint_MaintenanceThatOutlastsTheRetries_IsReportedAsTransient_AndTheNextCallTriesAgain()
    {
        using var h = new FakeOrgHarness();
        h.Org.InjectTokenFaults(FakeTokenFault.MaintenancePage, count: 4);

        var ex = await Assert.ThrowsAsync<SalesforceTokenEndpointException>(() => h.Client.GetAsync(Limits, _ct));

        Assert.Equal(SalesforceErrorCode.UnexpectedTokenResponse, ex.Code);
        Assert.Equal(HttpStatusCode.InternalServerError, ex.StatusCode);
        Assert.Contains("Down For Maintenance", ex.BodyExcerpt, StringComparison.Ordinal);
        Assert.True(ex.IsTransient);
        Assert.Equal(4, h.Org.Counters.TokenRequests);
        Assert.Equal(HttpStatusCode.OK, await GetAsync(h));
    }

    [Theory]
    [InlineData(FakeTokenFault.MalformedJson)]
    [InlineData(FakeTokenFault.MissingAccessToken)]
    public async Task TokenEndpoint_UnusableSuccessBody_IsReportedOnce_AndTheNextCallTriesAgain(FakeTokenFault fault)
    {
        using var h = new FakeOrgHarness();
        h.Org.InjectTokenFaults(fault);

        var ex = await Assert.ThrowsAsync<SalesforceTokenEndpointException>(() => h.Client.GetAsync(Limits, _ct));

        Assert.Equal(SalesforceErrorCode.UnexpectedTokenResponse, ex.Code);
        Assert.DoesNotContain("00DFK0000000001!AQ", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, h.Org.Counters.TokenRequests);
        Assert.Equal(HttpStatusCode.OK, await GetAsync(h));
    }

    [Fact]
    public async Task TokenEndpoint_SlowAnswer_TimesOutPerAttempt_AndIsRetried()
    {
        using var h = new FakeOrgHarness();
        h.Org.InjectTokenFaults(FakeTokenFault.Delay, delay: TimeSpan.FromMinutes(1));

        var call = h.Client.GetAsync(Limits, _ct);
        while (h.Org.DelayedTokenRequests == 0)
        {
            await Task.Yield();
        }

        // The standard pipeline's attempt timeout is 10 seconds, on the same clock.
        h.Clock.Advance(TimeSpan.FromSeconds(10));
        using var response = await call;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, h.Org.Counters.TokenRequests);
    }

    [Fact]
    public async Task LoginRateExceeded_PausesTokenRequests_CallersFailFast_UntilThePauseEnds()
    {
        using var h = new FakeOrgHarness(o => o.LoginRateLimitPause = TimeSpan.FromMinutes(5));
        h.Org.LoginRateLimitPerHour = 1;
        Assert.Equal(HttpStatusCode.OK, await GetAsync(h));
        h.Org.ExpireAllSessions();

        var limited = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => h.Client.GetAsync(Limits, _ct));
        Assert.Equal(SalesforceErrorCode.LoginRateExceeded, limited.Code);
        Assert.Equal(2, h.Org.Counters.TokenRequests);

        for (var i = 0; i < 50; i++)
        {
            var paused = await Assert.ThrowsAsync<SalesforceReauthenticationPausedException>(() => h.Client.GetAsync(Limits, _ct));
            Assert.Equal(SalesforceErrorCode.LoginRateExceeded, paused.Code);
            Assert.Same(limited, paused.InnerException);
        }

        Assert.Equal(2, h.Org.Counters.TokenRequests);
        h.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(h));
        Assert.Equal(3, h.Org.Counters.TokenRequests);
    }

    [Fact]
    public async Task BrandNewTokenRejected_PausesReauthentication_SoAMisconfigurationCannotBurnLogins()
    {
        using var stub = new SalesforceStub();
        stub.IssuesTokens().Answers("/" + Limits, HttpStatusCode.Unauthorized, SalesforceStub.ExpiredBody);
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        using var services = ServicesFor.Stub(stub, o => o.ReauthenticationPause = TimeSpan.FromMinutes(1), time: clock);
        var client = services.Client();

        await Assert.ThrowsAsync<SalesforceSessionException>(() => client.GetAsync(Limits, _ct));
        for (var i = 0; i < 100; i++)
        {
            var paused = await Assert.ThrowsAsync<SalesforceReauthenticationPausedException>(() => client.GetAsync(Limits, _ct));
            Assert.Equal(SalesforceErrorCode.SessionRejectedAfterRenewal, paused.Code);
        }

        Assert.Equal(2, stub.TokenRequests);
        clock.Advance(TimeSpan.FromMinutes(1));
        await Assert.ThrowsAsync<SalesforceSessionException>(() => client.GetAsync(Limits, _ct));
        Assert.Equal(3, stub.TokenRequests);
    }
}
