using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace SalesforceJwt.Testing.Tests;

/// <summary>The fake's AuthSession against docs/salesforce-behaviour.md#reading-a-sessions-timeout-from-authsession: per-user access, the current session, a timeout changed mid-test.</summary>
public sealed class FakeSalesforceOrgAuthSessionTests : IDisposable
{
    private const string Query = "SELECT NumSecondsValid, LastModifiedDate FROM AuthSession WHERE IsCurrent = true";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero));
    private readonly FakeSalesforceOrg _org;
    private readonly FakeIntegration _integration;
    private readonly HttpClient _http = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public FakeSalesforceOrgAuthSessionTests()
    {
        _org = FakeSalesforceOrg.Start(new FakeSalesforceOrgOptions { TimeProvider = _time, SessionTimeout = TimeSpan.FromHours(2) });
        _integration = _org.CreateIntegration();
    }

    public void Dispose()
    {
        _http.Dispose();
        _org.Dispose();
    }

    private Task<string> LoginAsync() => HandMadeAssertion.LoginAsync(_http, _org, _integration, _time.GetUtcNow(), _ct);

    private async Task<(HttpStatusCode Status, JsonElement Body)> QueryAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_org.Url, "services/data/v62.0/query?q=" + Uri.EscapeDataString(Query)));
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        using var response = await _http.SendAsync(request, _ct);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync(_ct)).RootElement.Clone());
    }

    [Fact]
    public async Task Granted_AnswersTheCallingSessionOnly_WithTheOrgsTimeoutNow()
    {
        _integration.User.AuthSessionAccess = FakeAuthSessionAccess.Granted;
        await LoginAsync();
        var token = await LoginAsync();

        var before = await QueryAsync(token);
        _org.SessionTimeout = TimeSpan.FromMinutes(30);
        var after = await QueryAsync(token);

        Assert.Equal(HttpStatusCode.OK, before.Status);
        var row = Assert.Single(before.Body.GetProperty("records").EnumerateArray());
        Assert.Equal(7200, row.GetProperty("NumSecondsValid").GetInt32());
        Assert.Equal("2026-11-26T09:00:00.000+0000", row.GetProperty("LastModifiedDate").GetString());
        Assert.Equal(1800, after.Body.GetProperty("records")[0].GetProperty("NumSecondsValid").GetInt32());
        Assert.Equal(2, _org.AuthSessionQueries);
    }

    [Theory]
    [InlineData(FakeAuthSessionAccess.Refused, HttpStatusCode.Forbidden, "INSUFFICIENT_ACCESS")]
    [InlineData(FakeAuthSessionAccess.Hidden, HttpStatusCode.BadRequest, "INVALID_TYPE")]
    public async Task NotGranted_IsRefusedWithSalesforcesErrorArray(FakeAuthSessionAccess access, HttpStatusCode status, string code)
    {
        _integration.User.AuthSessionAccess = access;
        var token = await LoginAsync();

        var answer = await QueryAsync(token);

        Assert.Equal(status, answer.Status);
        Assert.Equal(code, answer.Body[0].GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task ExpiredSession_Is401_NotARefusal()
    {
        _integration.User.AuthSessionAccess = FakeAuthSessionAccess.Granted;
        var token = await LoginAsync();
        _org.ExpireSession(token);

        var answer = await QueryAsync(token);

        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        Assert.Equal(0, _org.AuthSessionQueries);
    }
}
