using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace SalesforceJwt.Testing.Tests;

/// <summary>The fake's REST data API as a user's own code meets it: SOQL, paging, records, errors and API usage.</summary>
public sealed class FakeSalesforceOrgRestTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero));
    private readonly FakeSalesforceOrg _org;
    private readonly FakeIntegration _integration;
    private readonly HttpClient _http = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private string? _token;

    public FakeSalesforceOrgRestTests()
    {
        _org = FakeSalesforceOrg.Start(new FakeSalesforceOrgOptions { TimeProvider = _time });
        _integration = _org.CreateIntegration();
        Add("Acme", 10, "Paris", true);
        Add("Globex", 20, "Berlin", false);
        Add("Initech", 30, null, true);
        Add("100% Pure", 40, "Paris", null);
    }

    public void Dispose()
    {
        _http.Dispose();
        _org.Dispose();
    }

    private void Add(string name, int number, string? city, bool? active) =>
        _org.AddRecord("Account", new Dictionary<string, object?> { ["Name"] = name, ["Number"] = number, ["City"] = city, ["Active"] = active });

    private async Task<string> TokenAsync()
    {
        if (_token is null)
        {
            _token = await HandMadeAssertion.LoginAsync(_http, _org, _integration, _time.GetUtcNow(), _ct);
        }

        return _token;
    }

    private async Task<(HttpStatusCode Status, JsonElement Body, string? LimitInfo)> SendAsync(HttpMethod method, string path, string? json = null, string? queryOptions = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(_org.Url, path.TrimStart('/')));
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + await TokenAsync());
        if (queryOptions is not null)
        {
            request.Headers.TryAddWithoutValidation("Sforce-Query-Options", queryOptions);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await _http.SendAsync(request, _ct);
        var text = await response.Content.ReadAsStringAsync(_ct);
        var limit = response.Headers.TryGetValues("Sforce-Limit-Info", out var values) ? values.Single() : null;
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), limit);
    }

    private Task<(HttpStatusCode Status, JsonElement Body, string? LimitInfo)> QueryAsync(string soql, string resource = "query", string? queryOptions = null) =>
        SendAsync(HttpMethod.Get, $"services/data/v62.0/{resource}?q={Uri.EscapeDataString(soql)}", queryOptions: queryOptions);

    private static string[] Names(JsonElement body) =>
        body.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("Name").GetString()!).ToArray();

    [Theory]
    [InlineData("Name = 'acme'", "Acme")]
    [InlineData("Name != 'Acme'", "100% Pure,Globex,Initech")]
    [InlineData("Number < 20", "Acme")]
    [InlineData("Number > 20", "100% Pure,Initech")]
    [InlineData("Number >= 20 AND Number <= 30", "Globex,Initech")]
    [InlineData("City IN ('Paris', 'Berlin')", "100% Pure,Acme,Globex")]
    [InlineData("City NOT IN ('Paris')", "Globex,Initech")]
    [InlineData("Name LIKE 'a%'", "Acme")]
    [InlineData("Name LIKE '_lobex'", "Globex")]
    [InlineData("Name LIKE '%\\%%'", "100% Pure")]
    [InlineData("Active = true OR City = 'Berlin'", "Acme,Globex,Initech")]
    [InlineData("(City = 'Paris' OR City = 'Berlin') AND Number > 10", "100% Pure,Globex")]
    [InlineData("City = null", "Initech")]
    [InlineData("NOT Name = 'Acme'", "100% Pure,Globex,Initech")]
    [InlineData("Name = 'O\\'Brien' OR Name = 'x\\\\'", "")]
    public async Task Query_Where_FiltersAsSalesforceDoes(string where, string expected)
    {
        var (status, body, _) = await QueryAsync($"SELECT Name FROM Account WHERE {where} ORDER BY Name");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(expected, string.Join(",", Names(body)));
        Assert.All(body.GetProperty("records").EnumerateArray(), r => Assert.Equal("Account", r.GetProperty("attributes").GetProperty("type").GetString()));
    }

    [Fact]
    public async Task Query_OrderByLimitOffset_AndOnlyTheSelectedFields()
    {
        var (_, body, _) = await QueryAsync("SELECT Name, Number FROM Account ORDER BY City DESC NULLS LAST, Name LIMIT 2 OFFSET 1");

        Assert.Equal(["Acme", "Globex"], Names(body));
        Assert.Equal(2, body.GetProperty("totalSize").GetInt32());
        var first = body.GetProperty("records")[0];
        Assert.Equal(["attributes", "Name", "Number"], first.EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [InlineData("SELECT Account.Name FROM Contact")]
    [InlineData("SELECT Id, (SELECT Id FROM Contacts) FROM Account")]
    [InlineData("SELECT Name FROM Account GROUP BY Name")]
    [InlineData("SELECT Id FROM Account WHERE CreatedDate = TODAY")]
    [InlineData("SELECT MAX(Number) FROM Account")]
    [InlineData("SELECT Id FROM Account WHERE Name = 'bad\\q'")]
    [InlineData("SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact)")]
    [InlineData("DELETE FROM Account")]
    [InlineData("SELECT Id FROM Account WHERE Name = 'unterminated")]
    [InlineData("SELECT Id FROM Account LIMIT ten")]
    public async Task Query_Unsupported_IsMalformedQuery_NeverIgnored(string soql)
    {
        var (status, body, _) = await QueryAsync(soql);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("MALFORMED_QUERY", body[0].GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task Query_OffsetAbove2000_IsNumberOutsideValidRange()
    {
        var (status, body, _) = await QueryAsync("SELECT Id FROM Account OFFSET 2001");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("NUMBER_OUTSIDE_VALID_RANGE", body[0].GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task Query_Paging_FollowsNextRecordsUrl_AndAnIdleLocatorExpires()
    {
        _org.QueryBatchSize = 3;

        var (_, first, _) = await QueryAsync("SELECT Name FROM Account ORDER BY Number");
        var next = first.GetProperty("nextRecordsUrl").GetString()!;
        var (_, second, _) = await SendAsync(HttpMethod.Get, next);
        var (_, again, _) = await QueryAsync("SELECT Name FROM Account ORDER BY Number");
        _time.Advance(TimeSpan.FromMinutes(16));
        var (expired, error, _) = await SendAsync(HttpMethod.Get, again.GetProperty("nextRecordsUrl").GetString()!);

        Assert.Equal(4, first.GetProperty("totalSize").GetInt32());
        Assert.False(first.GetProperty("done").GetBoolean());
        Assert.Matches("^/services/data/v62.0/query/01g[A-Za-z0-9]{15}-3$", next);
        Assert.Equal(["Acme", "Globex", "Initech"], Names(first));
        Assert.True(second.GetProperty("done").GetBoolean());
        Assert.False(second.TryGetProperty("nextRecordsUrl", out _));
        Assert.Equal(["100% Pure"], Names(second));
        Assert.Equal(HttpStatusCode.BadRequest, expired);
        Assert.Equal("INVALID_QUERY_LOCATOR", error[0].GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task Query_BatchSizeHeader_IsHonouredWithinSalesforcesRange()
    {
        for (var i = 0; i < 300; i++)
        {
            Add($"Bulk {i:D3}", 100 + i, null, null);
        }

        var (_, page, _) = await QueryAsync("SELECT Name FROM Account", queryOptions: "batchSize=50");

        Assert.Equal(200, page.GetProperty("records").GetArrayLength());
        Assert.Equal(304, page.GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task EveryRestAnswer_CarriesApiUsage_AndASpentAllocationIs403RequestLimitExceeded()
    {
        _org.DailyApiRequestLimit = 3;

        var versions = await SendAsync(HttpMethod.Get, "services/data/");
        var one = await QueryAsync("SELECT Id FROM Account");
        var two = await SendAsync(HttpMethod.Get, "services/data/v62.0/sobjects/Account/001FK0000000000AAA");
        var limits = await SendAsync(HttpMethod.Get, "services/data/v62.0/limits");
        var spent = await QueryAsync("SELECT Id FROM Account");

        Assert.Null(versions.LimitInfo);
        Assert.Equal("api-usage=1/3", one.LimitInfo);
        Assert.Equal("api-usage=2/3", two.LimitInfo);
        Assert.Equal(0, limits.Body.GetProperty("DailyApiRequests").GetProperty("Remaining").GetInt32());
        Assert.Equal(HttpStatusCode.Forbidden, spent.Status);
        Assert.Equal("REQUEST_LIMIT_EXCEEDED", spent.Body[0].GetProperty("errorCode").GetString());
        Assert.Equal("api-usage=3/3", spent.LimitInfo);
        Assert.Equal(3, _org.ApiRequestsUsed);

        _time.Advance(TimeSpan.FromHours(24));
        _token = null;
        Assert.Equal(HttpStatusCode.OK, (await QueryAsync("SELECT Id FROM Account")).Status);
    }

    [Fact]
    public async Task Upsert_UnknownExternalIdField_IsNotFound_AndSeveralMatchesAre300()
    {
        _org.AddExternalIdField("Account", "City");

        var notExternal = await SendAsync(HttpMethod.Patch, "services/data/v62.0/sobjects/Account/Name/Acme", """{"Number":1}""");
        var several = await SendAsync(HttpMethod.Patch, "services/data/v62.0/sobjects/Account/City/Paris", """{"Number":1}""");
        var badJson = await SendAsync(HttpMethod.Post, "services/data/v62.0/sobjects/Account", "{not json");

        Assert.Equal(HttpStatusCode.NotFound, notExternal.Status);
        Assert.Equal("NOT_FOUND", notExternal.Body[0].GetProperty("errorCode").GetString());
        Assert.Equal(HttpStatusCode.MultipleChoices, several.Status);
        Assert.Equal(2, several.Body.GetArrayLength());
        Assert.Equal("JSON_PARSER_ERROR", badJson.Body[0].GetProperty("errorCode").GetString());
    }

    [Fact]
    public void AddRecord_TakesPlainDictionaries()
    {
        var first = _org.AddRecord("Lead", new Dictionary<string, object?> { ["LastName"] = "Smith", ["Company"] = null });
        var second = _org.AddRecord("Lead", new Dictionary<string, string> { ["LastName"] = "Jones" });

        Assert.NotEqual(first, second);
        Assert.Equal(2, _org.Records("Lead").Count);
    }
}
