using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using SalesforceJwt.Http;
using SalesforceJwt.Tests.TestSupport;

namespace SalesforceJwt.Tests.DependencyInjection;

/// <summary>The whole graph from <c>AddSalesforceJwt()</c> against a WireMock org over loopback.</summary>
public sealed class EndToEndTests : IDisposable
{
    private const string Limits = "/services/data/v62.0/limits";
    private const string Accounts = "/services/data/v62.0/sobjects/Account";
    private readonly SalesforceStub _org = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public void Dispose() => _org.Dispose();

    private static string? AuthorizationOf(WireMock.Logging.ILogEntry entry) =>
        entry.RequestMessage!.Headers!.TryGetValue("Authorization", out var values) ? values.Single() : null;

    [Fact]
    public async Task FirstCall_Authenticates_LaterCallsReuseTheToken()
    {
        _org.IssuesTokens().Serves(Limits);
        using var services = ServicesFor.Stub(_org);
        var client = services.Client();

        for (var i = 0; i < 3; i++)
        {
            using var response = await client.GetAsync("services/data/v62.0/limits", _ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(1, _org.TokenRequests);
        var calls = _org.Requests(Limits);
        Assert.Equal(3, calls.Count);
        Assert.All(calls, call => Assert.Equal("Bearer " + SalesforceStub.TokenNumber(1), AuthorizationOf(call)));
    }

    [Fact]
    public async Task RelativeUri_GoesToTheTokensInstanceUrl_NotTheLoginHost()
    {
        using var instance = new SalesforceStub();
        instance.Answers(Limits, HttpStatusCode.OK, "{}");
        _org.InstanceUrl = instance.Url;
        _org.IssuesTokens();
        using var services = ServicesFor.Stub(_org);

        using var response = await services.Client().GetAsync("services/data/v62.0/limits", _ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(instance.Url.Port, response.RequestMessage!.RequestUri!.Port);
        Assert.Equal("Bearer " + SalesforceStub.TokenNumber(1), AuthorizationOf(Assert.Single(instance.Requests(Limits))));
        Assert.Empty(_org.Requests(Limits));
    }

    [Fact]
    public async Task SessionExpired_PostIsReplayedOnceWithANewToken_AndItsBodyArrivesIntact()
    {
        _org.IssuesTokens().Serves(Accounts, """{"id":"001xx000003DGb2AAG","success":true}""");
        using var services = ServicesFor.Stub(_org);
        var client = services.Client();
        using (await client.GetAsync(Accounts, _ct))
        {
        }

        _org.ExpireAllSessions();
        var payload = new { Name = "Acme Ünïcode", Industry = "Energy" };
        using var response = await client.PostAsJsonAsync(Accounts, payload, _ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("001xx000003DGb2AAG", await response.Content.ReadAsStringAsync(_ct), StringComparison.Ordinal);
        Assert.Equal(2, _org.TokenRequests);
        var posts = _org.Requests(Accounts).Where(e => e.RequestMessage!.Method == "POST").ToList();
        Assert.Equal(2, posts.Count);
        Assert.Equal("Bearer " + SalesforceStub.TokenNumber(1), AuthorizationOf(posts[0]));
        Assert.Equal("Bearer " + SalesforceStub.TokenNumber(2), AuthorizationOf(posts[1]));
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(payload, System.Text.Json.JsonSerializerOptions.Web), posts[1].RequestMessage!.Body);
        Assert.Equal(posts[0].RequestMessage!.Body, posts[1].RequestMessage!.Body);
    }

    [Fact]
    public async Task SessionExpired_PatchWithAStreamBody_IsBufferedAndReplayedIntact()
    {
        _org.IssuesTokens().Serves(Accounts);
        using var services = ServicesFor.Stub(_org);
        var client = services.Client();
        using (await client.GetAsync(Accounts, _ct))
        {
        }

        _org.ExpireAllSessions();
        var json = """{"Name":"Streamed"}""";
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        content.Headers.ContentType = new("application/json");
        using var response = await client.PatchAsync(Accounts, content, _ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var patches = _org.Requests(Accounts).Where(e => e.RequestMessage!.Method == "PATCH").ToList();
        Assert.Equal(2, patches.Count);
        Assert.All(patches, p => Assert.Equal(json, p.RequestMessage!.Body));
    }

    [Fact]
    public async Task FreshTokenRejectedToo_TheCallerGetsATypedErrorWithTheSecond401_WithoutALoop()
    {
        _org.IssuesTokens().Answers(Limits, HttpStatusCode.Unauthorized, SalesforceStub.ExpiredBody);
        using var services = ServicesFor.Stub(_org);

        var ex = await Assert.ThrowsAsync<SalesforceSessionException>(() => services.Client().GetAsync("services/data/v62.0/limits", _ct));

        Assert.Equal(SalesforceErrorCode.SessionRejectedAfterRenewal, ex.Code);
        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.Equal("INVALID_SESSION_ID", ex.Reason);
        Assert.Contains("INVALID_SESSION_ID", ex.BodyExcerpt, StringComparison.Ordinal);
        Assert.Contains("High Assurance", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, _org.TokenRequests);
        Assert.Equal(2, _org.Requests(Limits).Count);
    }

    [Fact]
    public async Task SessionExpired_NewTokenForAnotherInstance_TheReplayGoesToTheNewInstance()
    {
        using var oldPod = new SalesforceStub();
        using var newPod = new SalesforceStub();
        oldPod.Answers(Limits, HttpStatusCode.OK, "{}");
        newPod.Answers(Limits, HttpStatusCode.OK, """{"pod":"new"}""");
        _org.InstanceUrl = oldPod.Url;
        _org.IssuesTokens();
        using var services = ServicesFor.Stub(_org);
        var client = services.Client();
        using (await client.GetAsync("services/data/v62.0/limits", _ct))
        {
        }

        // The org moved: the old pod now says the session is invalid, and new tokens name the new pod.
        oldPod.Server.Reset();
        oldPod.Answers(Limits, HttpStatusCode.Unauthorized, SalesforceStub.ExpiredBody);
        _org.InstanceUrl = newPod.Url;
        using var response = await client.GetAsync(new Uri(oldPod.Url, "services/data/v62.0/limits"), _ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("new", await response.Content.ReadAsStringAsync(_ct), StringComparison.Ordinal);
        Assert.Equal("Bearer " + SalesforceStub.TokenNumber(2), AuthorizationOf(Assert.Single(newPod.Requests(Limits))));
    }

    [Fact]
    public async Task UserRegisteredSessionClassifier_ReplacesTheDefaultRules()
    {
        _org.IssuesTokens().Answers(Limits, HttpStatusCode.Conflict, "custom expiry signal");
        var services = new ServiceCollection();
        services.AddSingleton<SalesforceJwt.Http.ISalesforceSessionClassifier, ConflictMeansExpired>();
        services.AddSalesforceJwt(o => { o.ConsumerKey = "k"; o.Username = "u@example.com"; o.LoginUrl = _org.Url; o.PrivateKey = TestKeys.Shared; });
        using var provider = services.BuildServiceProvider();

        var ex = await Assert.ThrowsAsync<SalesforceSessionException>(() => provider.Client().GetAsync(Limits, _ct));

        Assert.Equal("custom", ex.Reason);
        Assert.Equal(2, _org.TokenRequests);
    }

    private sealed class ConflictMeansExpired : SalesforceJwt.Http.ISalesforceSessionClassifier
    {
        public ValueTask<string?> GetSessionEndReasonAsync(HttpResponseMessage response, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(response.StatusCode == HttpStatusCode.Conflict ? "custom" : null);
    }

    [Fact]
    public async Task SessionNotValidForRestApi_IsNotTreatedAsExpiry()
    {
        _org.IssuesTokens().Answers(Limits, HttpStatusCode.Unauthorized,
            """[{"message":"This session is not valid for use with the REST API","errorCode":"INVALID_SESSION_ID"}]""");
        using var services = ServicesFor.Stub(_org);

        using var response = await services.Client().GetAsync("services/data/v62.0/limits", _ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(1, _org.TokenRequests);
        Assert.Single(_org.Requests(Limits));
    }

    [Theory]
    [InlineData(403, """[{"message":"API is not enabled for this Organization or Partner","errorCode":"API_DISABLED_FOR_ORG"}]""")]
    [InlineData(403, """[{"message":"insufficient access rights on object id","errorCode":"INSUFFICIENT_ACCESS_OR_READONLY"}]""")]
    [InlineData(403, """[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]""")]
    [InlineData(401, """[{"message":"Connected app is not attached to Agent","errorCode":"INVALID_SESSION_ID"}]""")]
    [InlineData(400, """[{"message":"unexpected token","errorCode":"MALFORMED_QUERY"}]""")]
    [InlineData(500, """[{"message":"An unexpected error occurred","errorCode":"UNKNOWN_EXCEPTION"}]""")]
    public async Task LookAlikesAndOtherErrors_AreReturnedAsIs_WithoutSpendingALogin(int status, string body)
    {
        _org.IssuesTokens().Answers(Limits, (HttpStatusCode)status, body);
        using var services = ServicesFor.Stub(_org);

        using var response = await services.Client().GetAsync("services/data/v62.0/limits", _ct);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsStringAsync(_ct));
        Assert.Equal(1, _org.TokenRequests);
        Assert.Single(_org.Requests(Limits));
    }

    [Fact]
    public async Task HundredConcurrentFirstCalls_MakeOneTokenRequest()
    {
        _org.IssuesTokens().Serves(Limits);
        _org.TokenGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var services = ServicesFor.Stub(_org);
        var client = services.Client();

        var calls = Enumerable.Range(0, 100).Select(_ => Task.Run(() => client.GetAsync("services/data/v62.0/limits", _ct), _ct)).ToList();
        _org.TokenGate.SetResult();
        var responses = await Task.WhenAll(calls);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, _org.TokenRequests);
        Assert.Equal(100, _org.Requests(Limits).Count);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task RequestToAnotherHost_IsSentWithoutTheToken()
    {
        using var foreign = new SalesforceStub();
        foreign.Answers("/collect", HttpStatusCode.OK, "{}");
        _org.IssuesTokens().Serves(Limits);
        using var services = ServicesFor.Stub(_org);
        var client = services.Client();

        using (await client.GetAsync("services/data/v62.0/limits", _ct))
        {
        }

        using var response = await client.GetAsync(new Uri(foreign.Url, "collect"), _ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(AuthorizationOf(Assert.Single(foreign.Requests("/collect"))));
    }

    [Fact]
    public async Task BulkApiV1_SessionHeaderIsSet_And400InvalidSessionIdIsReplayed()
    {
        const string Job = "/services/async/62.0/job";
        _org.IssuesTokens();
        var bulkCalls = 0;
        _org.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath(Job))
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithCallback(request =>
                Interlocked.Increment(ref bulkCalls) == 1
                    ? new WireMock.ResponseMessage
                    {
                        StatusCode = 400,
                        BodyData = new WireMock.Util.BodyData
                        {
                            DetectedBodyType = WireMock.Types.BodyType.String,
                            BodyAsString = """<?xml version="1.0" encoding="UTF-8"?><error xmlns="http://www.force.com/2009/06/asyncapi/dataload"><exceptionCode>InvalidSessionId</exceptionCode><exceptionMessage>Invalid session id</exceptionMessage></error>""",
                        },
                    }
                    : SalesforceStub.Json(HttpStatusCode.Created, "{}")));
        using var services = ServicesFor.Stub(_org);

        using var response = await services.Client().PostAsync(Job, new StringContent("<jobInfo/>", Encoding.UTF8, "application/xml"), _ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var calls = _org.Requests(Job);
        Assert.Equal(2, calls.Count);
        Assert.Equal(SalesforceStub.TokenNumber(1), calls[0].RequestMessage!.Headers!["X-SFDC-Session"].Single());
        Assert.Equal(SalesforceStub.TokenNumber(2), calls[1].RequestMessage!.Headers!["X-SFDC-Session"].Single());
        Assert.Equal("<jobInfo/>", calls[1].RequestMessage!.Body);
    }

    [Fact]
    public async Task PerRequestUsername_GetsItsOwnTokenForThatUser()
    {
        _org.IssuesTokens().Serves(Limits);
        using var services = ServicesFor.Stub(_org);
        var client = services.Client();

        using (await client.GetAsync(Limits, _ct))
        {
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, Limits);
#if LIBRARY_NETSTANDARD
        // What .NET Framework code does; on modern .NET, Properties is a view of Options.
#pragma warning disable CS0618
        request.Properties[SalesforceHttpRequestOptions.UsernameKey] = "other@example.com";
#pragma warning restore CS0618
#else
        request.Options.Set(SalesforceHttpRequestOptions.Username, "other@example.com");
#endif
        using var response = await client.SendAsync(request, _ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var subjects = _org.Requests(SalesforceStub.TokenPath)
            .Select(e => JwtParts.ClaimInForm(e.RequestMessage!.Body!, "sub"))
            .ToList();
        Assert.Equal(["integration@example.com", "other@example.com"], subjects);
    }

    [Fact]
    public async Task AFullScenario_NeverLogsATokenOrAnAssertion()
    {
        var logs = new FakeLogCollector();
        _org.IssuesTokens().Serves(Accounts);
        using var services = ServicesFor.Stub(_org, logs: logs);
        var client = services.Client();
        using (await client.GetAsync(Accounts, _ct))
        {
        }

        _org.ExpireAllSessions();
        using (await client.PostAsJsonAsync(Accounts, new { Name = "x" }, _ct))
        {
        }

        var assertions = _org.Requests(SalesforceStub.TokenPath).Select(e => JwtParts.AssertionInForm(e.RequestMessage!.Body!)).ToList();
        var everything = string.Join("\n", logs.GetSnapshot().Select(r => r.Message + " " + r.Exception));
        Assert.Contains("re-authenticating", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("token-1", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("token-2", everything, StringComparison.Ordinal);
        Assert.All(assertions, a => Assert.DoesNotContain(a.Split('.')[2], everything, StringComparison.Ordinal));
    }
}
