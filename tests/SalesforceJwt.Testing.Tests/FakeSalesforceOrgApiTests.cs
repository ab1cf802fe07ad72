using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace SalesforceJwt.Testing.Tests;

/// <summary>The fake's APIs against docs/salesforce-behaviour.md (session expiry by API, identity, sessions slide on activity): live sessions, each API's expiry shape, the sliding timeout, faults, records.</summary>
public sealed class FakeSalesforceOrgApiTests : IDisposable
{
    private const string Limits = "services/data/v62.0/limits";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero));
    private readonly FakeSalesforceOrg _org;
    private readonly FakeIntegration _integration;
    private readonly HttpClient _http = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public FakeSalesforceOrgApiTests()
    {
        _org = FakeSalesforceOrg.Start(new FakeSalesforceOrgOptions { TimeProvider = _time, SessionTimeout = TimeSpan.FromMinutes(30) });
        _integration = _org.CreateIntegration();
    }

    public void Dispose()
    {
        _http.Dispose();
        _org.Dispose();
    }

    private Task<string> LoginAsync() => HandMadeAssertion.LoginAsync(_http, _org, _integration, _time.GetUtcNow(), _ct);

    private async Task<(HttpStatusCode Status, string Body, string? ContentType)> SendAsync(HttpMethod method, string path, string? token, HttpContent? content = null, string scheme = "Bearer")
    {
        using var request = new HttpRequestMessage(method, new Uri(_org.Url, path)) { Content = content };
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"{scheme} {token}");
        }

        using var response = await _http.SendAsync(request, _ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(_ct), response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Rest_LiveSession_Answers_AndTheLegacyOAuthSchemeWorksToo()
    {
        var token = await LoginAsync();

        var bearer = await SendAsync(HttpMethod.Get, Limits, token);
        var oauth = await SendAsync(HttpMethod.Get, Limits, token, scheme: "OAuth");

        Assert.Equal(HttpStatusCode.OK, bearer.Status);
        Assert.Contains("DailyApiRequests", bearer.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, oauth.Status);
    }

    [Theory]
    [InlineData("services/data/v62.0/limits")]
    [InlineData("services/data/v62.0/tooling/query?q=SELECT+Id+FROM+ApexClass")]
    [InlineData("services/data/v62.0/jobs/ingest")]
    [InlineData("services/apexrest/orders")]
    public async Task RestFamily_UnknownOrExpiredToken_Is401WithTheJsonArray(string path)
    {
        var answer = await SendAsync(HttpMethod.Get, path, "00DFK0000000001!AQnotatoken");

        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        Assert.Equal("""[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]""", answer.Body);
        Assert.Equal("application/json", answer.ContentType);
    }

    [Fact]
    public async Task BulkV1_ExpiredSession_Is400XmlInvalidSessionId_AndTheSessionHeaderIsWhatCounts()
    {
        var token = await LoginAsync();
        using var valid = new HttpRequestMessage(HttpMethod.Post, new Uri(_org.Url, "services/async/62.0/job")) { Content = new StringContent("<jobInfo/>", Encoding.UTF8, "application/xml") };
        valid.Headers.Add("X-SFDC-Session", token);
        using var created = await _http.SendAsync(valid, _ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        // A Bearer header alone is not how Bulk API 1.0 authenticates.
        var bearerOnly = await SendAsync(HttpMethod.Post, "services/async/62.0/job", token, new StringContent("<jobInfo/>"));

        Assert.Equal(HttpStatusCode.BadRequest, bearerOnly.Status);
        Assert.Contains("<exceptionCode>InvalidSessionId</exceptionCode>", bearerOnly.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Soap_SessionInTheEnvelope_ExpiredIs500FaultWithSfInvalidSessionId()
    {
        var token = await LoginAsync();
        string Envelope(string session) => $"""<?xml version="1.0"?><env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:urn="urn:partner.soap.sforce.com"><env:Header><urn:SessionHeader><urn:sessionId>{session}</urn:sessionId></urn:SessionHeader></env:Header><env:Body><urn:getUserInfo/></env:Body></env:Envelope>""";

        var ok = await SendAsync(HttpMethod.Post, "services/Soap/u/62.0", null, new StringContent(Envelope(token), Encoding.UTF8, "text/xml"));
        _org.ExpireAllSessions();
        var expired = await SendAsync(HttpMethod.Post, "services/Soap/m/62.0", null, new StringContent(Envelope(token), Encoding.UTF8, "text/xml"));

        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Assert.Equal(HttpStatusCode.InternalServerError, expired.Status);
        Assert.Matches("<faultcode>[a-zA-Z]+:INVALID_SESSION_ID</faultcode>", expired.Body);
    }

    [Theory]
    [InlineData("id/00DFK0000000001EAA/005FK0000000001AAA")]
    [InlineData("services/oauth2/userinfo")]
    public async Task Identity_ExpiredSession_Is403PlainBadOAuthToken(string path)
    {
        var token = await LoginAsync();
        var ok = await SendAsync(HttpMethod.Get, path, token);
        _org.ExpireSession(token);
        var expired = await SendAsync(HttpMethod.Get, path, token);

        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Assert.Contains(_integration.Username, ok.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, expired.Status);
        Assert.Equal("Bad_OAuth_Token", expired.Body);
        Assert.Equal("text/plain", expired.ContentType);
    }

    [Fact]
    public async Task LookAlikes_NotValidForRestApi_AndRequestLimitExceeded_CanBeSwitchedOn()
    {
        var token = await LoginAsync();

        _org.RestApiRefusesSessions = true;
        var refused = await SendAsync(HttpMethod.Get, Limits, token);
        _org.RestApiRefusesSessions = false;
        _org.RequestLimitExceeded = true;
        var limited = await SendAsync(HttpMethod.Get, Limits, token);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Contains("This session is not valid for use with the REST API", refused.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, limited.Status);
        Assert.Contains("REQUEST_LIMIT_EXCEEDED", limited.Body, StringComparison.Ordinal);
        Assert.Equal(0, _org.Counters.SessionErrorsServed);
    }

    [Fact]
    public async Task SlidingTimeout_ActivityBeforeHalfwayDoesNotExtend()
    {
        // Facts §7: 30-minute timeout, activity at minute 10 does not extend; the session ends at minute 30.
        var token = await LoginAsync();
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, Limits, token)).Status);
        _time.Advance(TimeSpan.FromMinutes(19));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, Limits, token)).Status);

        // Minute 29 was past halfway, so it extended the session to minute 59.
        _time.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, Limits, token)).Status);
    }

    [Fact]
    public async Task SlidingTimeout_ActivityAfterHalfwayExtends_IdleBeyondTheTimeoutEnds()
    {
        var token = await LoginAsync();
        _time.Advance(TimeSpan.FromMinutes(10));
        await SendAsync(HttpMethod.Get, Limits, token);
        _time.Advance(TimeSpan.FromMinutes(20));

        // Minute 30: activity at minute 10 did not count, so the session has ended.
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, Limits, token)).Status);

        var second = await LoginAsync();
        _time.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, Limits, second)).Status);
        _time.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, Limits, second)).Status);
        _time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, Limits, second)).Status);
    }

    [Fact]
    public async Task SessionTimeout_CanBeChangedForLiveSessions()
    {
        var token = await LoginAsync();
        _org.SessionTimeout = TimeSpan.FromMinutes(5);
        _time.Advance(TimeSpan.FromMinutes(6));

        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, Limits, token)).Status);
        Assert.Empty(_org.LiveSessions());
    }

    [Fact]
    public async Task Revoke_EndsTheSession()
    {
        var token = await LoginAsync();
        using var revoke = await _http.PostAsync(new Uri(_org.Url, "services/oauth2/revoke"), new FormUrlEncodedContent([new("token", token)]), _ct);

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, Limits, token)).Status);
    }

    [Fact]
    public async Task Records_CreateQueryReadUpdate_AndBodiesAreRecorded()
    {
        var token = await LoginAsync();
        var created = await SendAsync(HttpMethod.Post, "services/data/v62.0/sobjects/Account", token, new StringContent("""{"Name":"Acme"}""", Encoding.UTF8, "application/json"));
        var id = JsonDocument.Parse(created.Body).RootElement.GetProperty("id").GetString()!;
        var updated = await SendAsync(HttpMethod.Patch, $"services/data/v62.0/sobjects/Account/{id}", token, new StringContent("""{"Industry":"Energy"}""", Encoding.UTF8, "application/json"));
        var queried = await SendAsync(HttpMethod.Get, "services/data/v62.0/query?q=" + Uri.EscapeDataString("SELECT Id, Name FROM Account"), token);
        var read = await SendAsync(HttpMethod.Get, $"services/data/v62.0/sobjects/Account/{id}", token);

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.StartsWith("001", id, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, updated.Status);
        Assert.Equal(1, JsonDocument.Parse(queried.Body).RootElement.GetProperty("totalSize").GetInt32());
        Assert.Contains("\"Industry\":\"Energy\"", read.Body, StringComparison.Ordinal);
        Assert.Single(_org.Records("Account"));
        Assert.Contains(_org.ReceivedRequests, r => r.Method == "POST" && r.Body == """{"Name":"Acme"}""");
    }

    [Fact]
    public async Task Counters_ApiCallsByStatus_401s_AndMalformedAuthorizationHeaders()
    {
        var token = await LoginAsync();
        await SendAsync(HttpMethod.Get, Limits, token);
        await SendAsync(HttpMethod.Get, Limits, token, scheme: "Bearer:");
        await SendAsync(HttpMethod.Get, Limits, " " + token);

        var counters = _org.Counters;
        Assert.Equal(3, counters.ApiCalls);
        Assert.Equal(1, counters.ApiCallsByStatus[200]);
        Assert.Equal(2, counters.ApiCallsByStatus[401]);
        Assert.Equal(2, counters.UnauthorizedServed);
        Assert.Equal(2, counters.SessionErrorsServed);
        Assert.Equal(2, counters.MalformedAuthorizationHeaders);
        Assert.Equal(3, _org.AuthorizationHeaders.Count);
    }

    [Theory]
    [InlineData(FakeTokenFault.ServiceUnavailable, 503, "text/html")]
    [InlineData(FakeTokenFault.MaintenancePage, 500, "text/html")]
    [InlineData(FakeTokenFault.MalformedJson, 200, "application/json")]
    [InlineData(FakeTokenFault.MissingAccessToken, 200, "application/json")]
    [InlineData(FakeTokenFault.TooManyRequests, 429, "text/plain")]
    public async Task InjectedFaults_AnswerTheNextTokenRequests_ThenNormalService(FakeTokenFault fault, int status, string contentType)
    {
        _org.InjectTokenFaults(fault, count: 2);
        for (var i = 0; i < 2; i++)
        {
            using var response = await _http.PostAsync(new Uri(_org.Url, "services/oauth2/token"), HandMadeAssertion.Form("x.y.z"), _ct);
            Assert.Equal(status, (int)response.StatusCode);
            Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain("access_token\":\"00DFK0000000001!AQ\"", await response.Content.ReadAsStringAsync(_ct), StringComparison.Ordinal);
        }

        await LoginAsync();
        Assert.Equal(2, _org.Counters.TokenFaults);
    }

    [Fact]
    public async Task InjectedDropConnection_FailsTheRequestWithoutAResponse()
    {
        _org.InjectTokenFaults(FakeTokenFault.DropConnection);
        await Assert.ThrowsAsync<HttpRequestException>(() => _http.PostAsync(new Uri(_org.Url, "services/oauth2/token"), HandMadeAssertion.Form("x.y.z"), _ct));
    }

    [Fact]
    public async Task InjectedDelay_WaitsOnTheOrgsClock()
    {
        _org.InjectTokenFaults(FakeTokenFault.Delay, delay: TimeSpan.FromSeconds(40));
        var login = LoginAsync();
        while (_org.DelayedTokenRequests == 0)
        {
            await Task.Yield();
        }

        _time.Advance(TimeSpan.FromSeconds(39));
        Assert.Equal(1, _org.DelayedTokenRequests);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.NotEmpty(await login);
        Assert.Equal(0, _org.DelayedTokenRequests);
    }
}
