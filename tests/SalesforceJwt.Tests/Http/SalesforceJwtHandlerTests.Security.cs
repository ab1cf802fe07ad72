using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SalesforceJwt.Http;
using SalesforceJwt.Tests.TestSupport;
using SalesforceJwt.Tokens;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace SalesforceJwt.Tests.Http;

/// <summary>Redirects, large error bodies, paths that always refuse, short-lived tokens and username spellings.</summary>
public sealed partial class SalesforceJwtHandlerTests
{
    private const string BulkJob = "/services/async/62.0/job";

    [Theory]
    [InlineData(307)]
    [InlineData(308)]
    [InlineData(302)]
    public async Task SendAsync_BulkRequestRedirectedToAnotherHost_IsNotFollowed_AndTheOtherHostSeesNoSession(int status)
    {
        using var instance = new SalesforceStub();
        using var elsewhere = new SalesforceStub();
        elsewhere.Answers("/*", HttpStatusCode.OK, "<ok/>");
        instance.IssuesTokens().Redirects(BulkJob, status, new Uri(elsewhere.Url, BulkJob));
        using var services = ServicesFor.Stub(instance);

        using var response = await services.Client().PostAsync(BulkJob.TrimStart('/'), new StringContent("<jobInfo/>", Encoding.UTF8, "application/xml"), _ct);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(new Uri(elsewhere.Url, BulkJob), response.Headers.Location);
        Assert.Empty(elsewhere.Server.LogEntries);
        var sent = Assert.Single(instance.Requests(BulkJob));
        Assert.True(sent.RequestMessage!.Headers!.ContainsKey("X-SFDC-Session"));
    }

    [Fact]
    public async Task SendAsync_UsersOwnClientWithItsOwnRedirectingHandler_StillFollowsNoRedirect()
    {
        using var instance = new SalesforceStub();
        using var elsewhere = new SalesforceStub();
        elsewhere.Answers("/*", HttpStatusCode.OK, "<ok/>");
        instance.IssuesTokens().Redirects(BulkJob, 307, new Uri(elsewhere.Url, BulkJob));
        var services = new ServiceCollection();
        services.AddHttpClient("bulk")
            .AddSalesforceJwt(o => { o.ConsumerKey = "k"; o.Username = "u@example.com"; o.LoginUrl = instance.Url; o.PrivateKey = TestKeys.Shared; })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = true });
        using var provider = services.BuildServiceProvider();

        using var response = await provider.Client("bulk").PostAsync(BulkJob.TrimStart('/'), new StringContent("<jobInfo/>"), _ct);

        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Empty(elsewhere.Server.LogEntries);
    }

    [Theory]
    [InlineData("/services/data/v62.0/sobjects/Account/x401", 401)]
    [InlineData("/services/data/v62.0/sobjects/Account/x403", 403)]
    [InlineData("/services/Soap/u/62.0", 500)]
    [InlineData(BulkJob, 400)]
    public async Task SendAsync_MegabyteChunkedErrorBody_TheCallerReadsAllOfIt(string path, int status)
    {
        const int Megabyte = 1024 * 1024;
        RawHttpServer server = null!;
        using var _ = server = new RawHttpServer(async (_, stream, stop) =>
        {
            await RawHttpServer.WriteHeadersAsync(stream, status, "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n", stop);
            await server.WriteChunkedAsync(stream, "{\"big\":\"", Megabyte, (byte)'x', stop);
        });
        using var stub = new SalesforceStub();
        stub.IssuesTokens().InstanceUrl = server.Url;
        using var services = ServicesFor.Stub(stub);

        using var response = await services.Client().PostAsync(path.TrimStart('/'), new StringContent("<x/>"), _ct);
        var body = await response.Content.ReadAsByteArrayAsync(_ct);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(Megabyte, body.Length);
        Assert.StartsWith("{\"big\":\"xxxx", Encoding.UTF8.GetString(body, 0, 12), StringComparison.Ordinal);
        Assert.Equal((byte)'x', body[^1]);
    }

    [Fact]
    public async Task SendAsync_PathThatAlways401s_WhileOthersSucceed_CostsTwoLogins_ThenThePauseError()
    {
        const string Bad = "/services/data/v62.0/sobjects/Widget__c";
        using var stub = new SalesforceStub();
        stub.IssuesTokens().Serves("/" + Limits).Answers(Bad, HttpStatusCode.Unauthorized, "");
        using var services = ServicesFor.Stub(stub);
        var client = services.Client();

        using (var warm = await client.GetAsync(Limits, _ct))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        var first = await Assert.ThrowsAsync<SalesforceSessionException>(() => client.GetAsync(Bad.TrimStart('/'), _ct));
        Assert.Equal(SalesforceErrorCode.SessionRejectedAfterRenewal, first.Code);
        for (var i = 0; i < 100; i++)
        {
            using (var ok = await client.GetAsync(Limits, _ct))
            {
                Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            }

            var paused = await Assert.ThrowsAsync<SalesforceReauthenticationPausedException>(() => client.GetAsync(Bad.TrimStart('/'), _ct));
            Assert.Equal(SalesforceErrorCode.SessionRejectedAfterRenewal, paused.Code);
        }

        Assert.Equal(2, stub.TokenRequests);
    }

    [Fact]
    public async Task SendAsync_AnythingThatDefeatsEveryToken_StopsAtTheLoginBudget()
    {
        // Every answer is a bare 401 and pauses are off: only the budget stands between this and the login limit.
        var issued = 0;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var wire = new StubHttpHandler((request, _) => request.RequestUri!.AbsolutePath == "/services/oauth2/token"
            ? new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent($$"""{"access_token":"00DFK0000000001!t{{Interlocked.Increment(ref issued)}}","instance_url":"https://acme.my.salesforce.com"}""", Encoding.UTF8, "application/json"),
            }
            : new HttpResponseMessage(HttpStatusCode.Unauthorized));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSalesforceJwt(o =>
        {
            o.ConsumerKey = "k";
            o.Username = "u@example.com";
            o.PrivateKey = TestKeys.Shared;
            o.ReauthenticationPause = TimeSpan.Zero;
            o.MaxLoginsPerHour = 10;
        }).ConfigurePrimaryHttpMessageHandler(() => wire);
        services.AddHttpClient(SalesforceJwtDefaults.TokenClientName).ConfigurePrimaryHttpMessageHandler(() => wire);
        using var provider = services.BuildServiceProvider();

        var errors = new List<SalesforceJwtException>();
        for (var i = 0; i < 100; i++)
        {
            errors.Add(await Assert.ThrowsAnyAsync<SalesforceJwtException>(() => provider.Client().GetAsync(Limits, _ct)));
        }

        Assert.Equal(10, issued);
        var budget = Assert.IsType<SalesforceReauthenticationPausedException>(errors[^1]);
        Assert.Equal(SalesforceErrorCode.LoginBudgetExhausted, budget.Code);
        Assert.Equal(clock.GetUtcNow().AddHours(1), budget.PausedUntil);

        clock.Advance(TimeSpan.FromHours(1));
        await Assert.ThrowsAnyAsync<SalesforceJwtException>(() => provider.Client().GetAsync(Limits, _ct));
        Assert.True(issued > 10, "logins resume once the hour has passed");
    }

    [Fact]
    public async Task SendAsync_JwtFormatTokenWithSixtySecondLife_ThousandRequestsOverTenSeconds_OneLogin()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero));
        var issued = 0;
        var wire = new StubHttpHandler((request, _) =>
        {
            if (request.RequestUri!.AbsolutePath != "/services/oauth2/token")
            {
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") };
            }

            Interlocked.Increment(ref issued);
            var exp = clock.GetUtcNow().AddSeconds(60).ToUnixTimeSeconds();
            var payload = Convert.ToBase64String(Encoding.UTF8.GetBytes($$"""{"sub":"005","exp":{{exp}}}""")).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent($$"""{"access_token":"eyJhbGciOiJSUzI1NiJ9.{{payload}}.c2ln{{issued}}","instance_url":"https://acme.my.salesforce.com"}""", Encoding.UTF8, "application/json"),
            };
        });
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSalesforceJwt(o => { o.ConsumerKey = "k"; o.Username = "u@example.com"; o.PrivateKey = TestKeys.Shared; })
            .ConfigurePrimaryHttpMessageHandler(() => wire);
        services.AddHttpClient(SalesforceJwtDefaults.TokenClientName).ConfigurePrimaryHttpMessageHandler(() => wire);
        using var provider = services.BuildServiceProvider();
        var client = provider.Client();

        for (var i = 0; i < 1000; i++)
        {
            using var response = await client.GetAsync(Limits, _ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            clock.Advance(TimeSpan.FromMilliseconds(10));
        }

        Assert.Equal(1, issued);
    }

    [Fact]
    public async Task GetTokenAsync_FourSpellingsOfOneUsername_OneLogin_SentTrimmed()
    {
        using var stub = new SalesforceStub();
        stub.IssuesTokens().Serves("/" + Limits);
        using var services = ServicesFor.Stub(stub);
        var tokens = services.GetRequiredService<ISalesforceTokenProvider>();

        foreach (var spelling in new[] { " Other.User@Example.com ", "other.user@example.com", "OTHER.USER@EXAMPLE.COM", "Other.User@Example.com" })
        {
            await tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, new SalesforceTokenRequest { Username = spelling }, _ct);
            using var request = new HttpRequestMessage(HttpMethod.Get, Limits);
            request.Options.Set(SalesforceHttpRequestOptions.Username, spelling);
            using var response = await services.Client().SendAsync(request, _ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var login = Assert.Single(stub.Requests(SalesforceStub.TokenPath));
        Assert.Equal("Other.User@Example.com", JwtParts.ClaimInForm(login.RequestMessage!.Body!, "sub"));
    }
}
