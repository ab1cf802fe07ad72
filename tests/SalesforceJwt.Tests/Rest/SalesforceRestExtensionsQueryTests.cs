using System.Net;
using System.Text;
using SalesforceJwt.Rest;
using SalesforceJwt.Testing;
using SalesforceJwt.Tests.TestSupport;

namespace SalesforceJwt.Tests.Rest;

public sealed class SalesforceRestExtensionsQueryTests : IDisposable
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly FakeOrgHarness _h = new();

    public void Dispose() => _h.Dispose();

    private void AddAccounts(int count)
    {
        for (var i = 1; i <= count; i++)
        {
            _h.Org.AddRecord("Account", new Dictionary<string, object?> { ["Name"] = $"Account {i:D5}", ["Number"] = i });
        }
    }

    private List<FakeRecordedRequest> QueryRequests() =>
        _h.Org.ReceivedRequests.Where(r => r.Path.Contains("/query", StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task QueryAsync_5001Records_AreReadInThreePagesByFollowingNextRecordsUrl()
    {
        AddAccounts(5001);

        var accounts = new List<Account>();
        await foreach (var account in _h.Client.QueryAsync("SELECT Id, Name, Number FROM Account ORDER BY Number", RestTestJson.Default.Account, _ct))
        {
            accounts.Add(account);
        }

        Assert.Equal(5001, accounts.Count);
        Assert.Equal(Enumerable.Range(1, 5001), accounts.Select(a => a.Number!.Value));
        Assert.Equal("Account", accounts[0].Attributes!.Type);
        var pages = QueryRequests();
        Assert.Equal(3, pages.Count);
        Assert.Equal("/services/data/v62.0/query", pages[0].Path);
        Assert.Matches("^/services/data/v62.0/query/01g[A-Za-z0-9]{15}-2000$", pages[1].Path);
        Assert.Matches("^/services/data/v62.0/query/01g[A-Za-z0-9]{15}-4000$", pages[2].Path);
    }

    [Fact]
    public async Task QueryAsync_ReadsTheNextPageOnlyWhenTheRecordsBeforeItAreConsumed()
    {
        AddAccounts(2001);

        await using var records = _h.Client.QueryAsync("SELECT Id FROM Account", RestTestJson.Default.Account, _ct).GetAsyncEnumerator(_ct);
        for (var i = 0; i < 2000; i++)
        {
            Assert.True(await records.MoveNextAsync());
        }

        Assert.Single(QueryRequests());
        Assert.True(await records.MoveNextAsync());
        Assert.Equal(2, QueryRequests().Count);
    }

    [Fact]
    public async Task QueryAsync_SessionEndsBetweenPages_IsRenewedAndTheSameNextPageRead()
    {
        AddAccounts(2500);
        var seen = 0;

        await foreach (var account in _h.Client.QueryAsync<Account>("SELECT Id, Name FROM Account", cancellationToken: _ct))
        {
            if (++seen == 2000)
            {
                _h.Org.ExpireAllSessions();
            }
        }

        Assert.Equal(2500, seen);
        Assert.Equal(2, _h.Org.Counters.LoginsByUser[_h.Integration.Username]);
        Assert.Equal(1, _h.Org.Counters.UnauthorizedServed);
        var nextPage = QueryRequests().Where(r => r.Path.EndsWith("-2000", StringComparison.Ordinal)).ToList();
        Assert.Equal([401, 200], nextPage.Select(r => r.Status));
    }

    [Fact]
    public async Task QueryPageAsync_GivesTotalSize_AndCountQueriesAnswerWithItAlone()
    {
        AddAccounts(2100);

        var page = await _h.Client.QueryPageAsync("SELECT Id FROM Account", RestTestJson.Default.Account, _ct);
        var next = await _h.Client.QueryNextPageAsync(page.NextRecordsUrl!, RestTestJson.Default.Account, _ct);
        var count = await _h.Client.QueryPageAsync("SELECT COUNT() FROM Account WHERE Number > 100", RestTestJson.Default.Account, _ct);

        Assert.Equal(2100, page.TotalSize);
        Assert.False(page.Done);
        Assert.Equal(2000, page.Records.Count);
        Assert.True(next.Done);
        Assert.Null(next.NextRecordsUrl);
        Assert.Equal(100, next.Records.Count);
        Assert.Equal(2000, count.TotalSize);
        Assert.Empty(count.Records);
    }

    [Fact]
    public async Task QueryAllAsync_IncludesDeletedRecords_QueryDoesNot()
    {
        AddAccounts(3);
        var doomed = _h.Org.AddRecord("Account", new Dictionary<string, object?> { ["Name"] = "Doomed" });
        await _h.Client.DeleteRecordAsync("Account", doomed, _ct);

        var live = await _h.Client.QueryAsync("SELECT Id FROM Account", RestTestJson.Default.Account, _ct).ToListAsync(_ct);
        var all = await _h.Client.QueryAllAsync("SELECT Id, IsDeleted FROM Account", RestTestJson.Default.Account, _ct).ToListAsync(_ct);

        Assert.Equal(3, live.Count);
        Assert.Equal(4, all.Count);
        Assert.True(Assert.Single(all, a => a.Id == doomed).IsDeleted);
    }

    [Fact]
    public async Task QueryAsync_SalesforceDatetimes_AreRead_WithSourceGenerationAndWithDefaults()
    {
        _h.Org.AddRecord("Account", new Dictionary<string, object?> { ["Name"] = "Dated", ["CreatedDate"] = "2024-01-02T10:00:00.000+0000" });
        var expected = new DateTimeOffset(2024, 1, 2, 10, 0, 0, TimeSpan.Zero);

        var generated = await _h.Client.QueryAsync("SELECT Id, CreatedDate FROM Account", RestTestJson.Default.Account, _ct).SingleAsync(_ct);
        var reflected = await _h.Client.QueryAsync<Account>("SELECT Id, CreatedDate FROM Account", cancellationToken: _ct).SingleAsync(_ct);

        Assert.Equal(expected, generated.CreatedDate);
        Assert.Equal(expected, reflected.CreatedDate);
    }

    [Theory]
    [InlineData("x' OR Name != '")]
    [InlineData("x\\' OR Name != \\'")]
    [InlineData("%' OR Name LIKE '%")]
    [InlineData("x\\")]
    [InlineData("x'\nOR Name != '")]
    [InlineData("Acme' OR Id != null OR Name = '")]
    public async Task SoqlFormat_InjectionAttempts_ReturnNoExtraRows(string input)
    {
        _h.Org.AddRecord("Account", new Dictionary<string, object?> { ["Name"] = "Acme" });
        _h.Org.AddRecord("Account", new Dictionary<string, object?> { ["Name"] = "Globex" });

        var soql = Soql.Format($"SELECT Id, Name FROM Account WHERE Name = {input}");
        var rows = await _h.Client.QueryAsync<Account>(soql, cancellationToken: _ct).ToListAsync(_ct);

        Assert.Empty(rows);
    }

    [Fact]
    public async Task SoqlFormat_QuotesBackslashesAndLists_MatchTheStoredValues()
    {
        _h.Org.AddRecord("Account", new Dictionary<string, object?> { ["Name"] = "O'Brien \\ Sons" });
        _h.Org.AddRecord("Account", new Dictionary<string, object?> { ["Name"] = "Globex" });
        _h.Org.AddRecord("Account", new Dictionary<string, object?> { ["Name"] = "Initech" });

        var one = await _h.Client.QueryAsync<Account>(Soql.Format($"SELECT Name FROM Account WHERE Name = {"O'Brien \\ Sons"}"), cancellationToken: _ct).ToListAsync(_ct);
        var two = await _h.Client.QueryAsync<Account>(Soql.Format($"SELECT Name FROM Account WHERE Name IN {new[] { "Globex", "Initech", "x') OR (Name != 'y" }}"), cancellationToken: _ct).ToListAsync(_ct);
        var like = await _h.Client.QueryAsync<Account>(Soql.Format($"SELECT Name FROM Account WHERE Name LIKE {Soql.LikeText("O'Brien") + "%"}"), cancellationToken: _ct).ToListAsync(_ct);

        Assert.Equal("O'Brien \\ Sons", Assert.Single(one).Name);
        Assert.Equal(["Globex", "Initech"], two.Select(a => a.Name).Order());
        Assert.Single(like);
    }

    [Fact]
    public async Task QueryAsync_SoqlIsSentEscapedInTheQueryString_UnderTheConnectionsApiVersion()
    {
        using var h = new FakeOrgHarness(o => o.ApiVersion = "61.0");
        h.Org.AddRecord("Account", new Dictionary<string, object?> { ["Name"] = "A&B #1" });

        var rows = await h.Client.QueryAsync<Account>(Soql.Format($"SELECT Name FROM Account WHERE Name = {"A&B #1"}"), cancellationToken: _ct).ToListAsync(_ct);

        Assert.Single(rows);
        var request = h.Org.ReceivedRequests.Single(r => r.Path.Contains("/query", StringComparison.Ordinal));
        Assert.Equal("/services/data/v61.0/query", request.Path);
        Assert.StartsWith("q=SELECT%20Name%20FROM%20Account%20WHERE%20Name%20%3D%20%27A%26B%20%231%27", request.Query, StringComparison.Ordinal);
    }
}
