using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SalesforceJwt.Rest;
using SalesforceJwt.Tests.TestSupport;

namespace SalesforceJwt.Tests.Rest;

public sealed class SalesforceRestExtensionsRecordsTests : IDisposable
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly FakeOrgHarness _h = new();

    public void Dispose() => _h.Dispose();

    private int ApiRequests => _h.Org.ReceivedRequests.Count(r => r.Path.StartsWith("/services/data", StringComparison.Ordinal));

    [Fact]
    public async Task CreateGetUpdateDelete_RoundTrip_WithoutAttributesOrIdInTheBodies()
    {
        var id = await _h.Client.CreateRecordAsync("Account", new Account { Id = "001000000000000AAA", Name = "Acme", Attributes = new() { Type = "Account" } }, RestTestJson.Default.Account, _ct);
        await _h.Client.UpdateRecordAsync("Account", id, new { Name = "Acme Corporation", Industry = "Energy" }, cancellationToken: _ct);
        var read = await _h.Client.GetRecordAsync("Account", id, RestTestJson.Default.Account, ["Name"], _ct);
        await _h.Client.DeleteRecordAsync("Account", id, _ct);

        Assert.Matches("^001[A-Za-z0-9]{15}$", id);
        Assert.Equal("Acme Corporation", read.Name);
        Assert.Null(read.Id);
        Assert.Empty(_h.Org.Records("Account"));
        var posted = _h.Org.ReceivedRequests.Single(r => r.Method == "POST" && r.Path.EndsWith("/sobjects/Account", StringComparison.Ordinal));
        Assert.Equal("""{"Name":"Acme"}""", posted.Body);
        Assert.Equal("fields=Name", _h.Org.ReceivedRequests.Single(r => r.Method == "GET" && r.Path.Contains(id, StringComparison.Ordinal)).Query);
    }

    [Fact]
    public async Task UpsertRecordAsync_CreatesThenUpdates_ByExternalId_WithTheValueEscapedIntoOneSegment()
    {
        _h.Org.AddExternalIdField("Account", "Code__c");
        const string code = "A/1?x=#..%2F";

        var created = await _h.Client.UpsertRecordAsync("Account", "Code__c", code, new { Name = "Acme" }, cancellationToken: _ct);
        var updated = await _h.Client.UpsertRecordAsync("Account", "Code__c", code, new { Name = "Acme 2" }, cancellationToken: _ct);

        Assert.True(created.Created);
        Assert.False(updated.Created);
        Assert.Equal(created.Id, updated.Id);
        var stored = JsonNode.Parse(Assert.Single(_h.Org.Records("Account")))!;
        Assert.Equal(code, stored["Code__c"]!.GetValue<string>());
        Assert.Equal("Acme 2", stored["Name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("Account", "../../id")]
    [InlineData("Account", "001000000000001AA/")]
    [InlineData("Account", "001000000000001A?x")]
    [InlineData("Account", "00100000000001")]
    [InlineData("Account", "001000000000001AAA#")]
    [InlineData("Account/../User", "001000000000001AAA")]
    [InlineData("Account\\x", "001000000000001AAA")]
    [InlineData("..", "001000000000001AAA")]
    [InlineData("", "001000000000001AAA")]
    public async Task RecordHelpers_IdsAndNamesThatCouldChangeThePath_AreRefusedBeforeAnyRequest(string type, string id)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _h.Client.GetRecordAsync<Account>(type, id, cancellationToken: _ct));
        await Assert.ThrowsAsync<ArgumentException>(() => _h.Client.DeleteRecordAsync(type, id, _ct));
        await Assert.ThrowsAsync<ArgumentException>(() => _h.Client.UpdateRecordAsync(type, id, new { Name = "x" }, cancellationToken: _ct));

        Assert.Equal(0, ApiRequests);
    }

    [Theory]
    [InlineData("Account/../User")]
    [InlineData("Name?x=1")]
    [InlineData("Name#")]
    [InlineData("..")]
    [InlineData("1Name")]
    public async Task FieldNames_ThatAreNotApiNames_AreRefusedBeforeAnyRequest(string field)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _h.Client.UpsertRecordAsync("Account", field, "v", new { Name = "x" }, cancellationToken: _ct));
        await Assert.ThrowsAsync<ArgumentException>(() => _h.Client.UpsertRecordAsync(field, "Code__c", "v", new { Name = "x" }, cancellationToken: _ct));
        await Assert.ThrowsAsync<ArgumentException>(() => _h.Client.GetRecordAsync<Account>("Account", "001000000000001AAA", [field], cancellationToken: _ct));

        Assert.Equal(0, ApiRequests);
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("")]
    public async Task UpsertRecordAsync_DotSegmentsAsValue_AreRefused(string value)
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => _h.Client.UpsertRecordAsync("Account", "Code__c", value, new { Name = "x" }, cancellationToken: _ct));

        Assert.Equal("externalIdValue", ex.ParamName);
        Assert.Equal(0, ApiRequests);
    }

    [Fact]
    public async Task CreateRecordsAsync_ReturnsOneResultPerRecord_InOrder_WithAttributesTypeAdded()
    {
        var results = await _h.Client.CreateRecordsAsync("Account", [new Account { Name = "A" }, new Account(), new Account { Name = "C" }], RestTestJson.Default.Account, cancellationToken: _ct);

        Assert.Equal([true, false, true], results.Select(r => r.Success));
        Assert.Equal("REQUIRED_FIELD_MISSING", Assert.Single(results[1].Errors).ErrorCode);
        Assert.Equal(["Name"], results[1].Errors[0].Fields);
        Assert.Equal(2, _h.Org.Records("Account").Count);
        var body = JsonNode.Parse(_h.Org.ReceivedRequests.Single(r => r.Path.EndsWith("/composite/sobjects", StringComparison.Ordinal)).Body!)!;
        Assert.False(body["allOrNone"]!.GetValue<bool>());
        Assert.All(body["records"]!.AsArray(), r => Assert.Equal("Account", r!["attributes"]!["type"]!.GetValue<string>()));
    }

    [Fact]
    public async Task CollectionsWithAllOrNone_OneFailureSavesNothing_ThenUpdateAndDelete()
    {
        var rolledBack = await _h.Client.CreateRecordsAsync("Account", [new { Name = (string?)"A" }, new { Name = (string?)null }], allOrNone: true, cancellationToken: _ct);
        var created = await _h.Client.CreateRecordsAsync("Account", [new { Name = "A" }, new { Name = "B" }], cancellationToken: _ct);
        var ids = created.Select(r => r.Id!).ToList();
        var updated = await _h.Client.UpdateRecordsAsync("Account", ids.Select(id => new { Id = id, Name = "Renamed" }).ToList(), cancellationToken: _ct);
        var deleted = await _h.Client.DeleteRecordsAsync([ids[0], "001000000000009AAA"], cancellationToken: _ct);

        Assert.Equal("ALL_OR_NONE_OPERATION_ROLLED_BACK", rolledBack[0].Errors[0].ErrorCode);
        Assert.Equal("REQUIRED_FIELD_MISSING", rolledBack[1].Errors[0].ErrorCode);
        Assert.All(updated, r => Assert.True(r.Success));
        Assert.Equal([true, false], deleted.Select(r => r.Success));
        var remaining = JsonNode.Parse(Assert.Single(_h.Org.Records("Account")))!;
        Assert.Equal("Renamed", remaining["Name"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetRecordsAsync_ReadsSeveralByIdInOneCall_WithNullForAMissingOne()
    {
        var first = _h.Org.AddRecord("Account", new Dictionary<string, object?> { ["Name"] = "A", ["Number"] = 1 });
        var second = _h.Org.AddRecord("Account", new Dictionary<string, object?> { ["Name"] = "B", ["Number"] = 2 });

        var records = await _h.Client.GetRecordsAsync("Account", [second, "001000000000404AAA", first], ["Name"], RestTestJson.Default.Account, _ct);

        Assert.Equal(["B", null, "A"], records.Select(r => r?.Name));
        Assert.Null(records[0]!.Number);
        Assert.Equal(1, _h.Org.ReceivedRequests.Count(r => r.Path == "/services/data/v62.0/composite/sobjects/Account"));
    }

    [Fact]
    public async Task Collections_MoreThan200Records_OrAnUpdateWithoutId_AreRefusedBeforeSending()
    {
        var many = Enumerable.Range(0, 201).Select(i => new Account { Name = $"A{i}" }).ToList();

        await Assert.ThrowsAsync<ArgumentException>(() => _h.Client.CreateRecordsAsync("Account", many, RestTestJson.Default.Account, cancellationToken: _ct));
        await Assert.ThrowsAsync<ArgumentException>(() => _h.Client.UpdateRecordsAsync("Account", [new Account { Name = "x" }], RestTestJson.Default.Account, cancellationToken: _ct));
        await Assert.ThrowsAsync<ArgumentException>(() => _h.Client.DeleteRecordsAsync(["001000000000001AAA", "../x"], cancellationToken: _ct));

        Assert.Equal(0, ApiRequests);
    }

    [Fact]
    public async Task SendCompositeAsync_LaterSubrequestsUseEarlierResults_AndEachHasItsOwnStatus()
    {
        var request = new SalesforceCompositeRequest();
        request.Subrequests.Add(new("POST", "/services/data/v62.0/sobjects/Account", "NewAccount", new JsonObject { ["Name"] = "Acme" }));
        request.Subrequests.Add(new("POST", "/services/data/v62.0/sobjects/Contact", "NewContact", new JsonObject { ["LastName"] = "Smith", ["AccountId"] = "@{NewAccount.id}" }));
        request.Subrequests.Add(new("GET", "/services/data/v62.0/sobjects/Account/@{NewAccount.id}?fields=Name", "ReadBack"));

        var response = await _h.Client.SendCompositeAsync(request, _ct);

        Assert.True(response.AllSucceeded);
        Assert.Equal([201, 201, 200], response.Results.Select(r => r.HttpStatusCode));
        var accountId = response["NewAccount"].Id;
        Assert.NotNull(accountId);
        Assert.Equal(accountId, JsonNode.Parse(Assert.Single(_h.Org.Records("Contact")))!["AccountId"]!.GetValue<string>());
        Assert.Equal("Acme", response["ReadBack"].Body.GetProperty("Name").GetString());
        Assert.Equal(1, _h.Org.ReceivedRequests.Count(r => r.Path.EndsWith("/composite", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task SendCompositeAsync_AllOrNoneFailure_RollsBackAndReportsProcessingHalted()
    {
        var request = new SalesforceCompositeRequest { AllOrNone = true };
        request.Subrequests.Add(new("POST", "/services/data/v62.0/sobjects/Account", "Good", new JsonObject { ["Name"] = "Acme" }));
        request.Subrequests.Add(new("POST", "/services/data/v62.0/sobjects/Contact", "Bad", new JsonObject { ["FirstName"] = "No last name" }));

        var response = await _h.Client.SendCompositeAsync(request, _ct);

        Assert.False(response.AllSucceeded);
        Assert.Equal("PROCESSING_HALTED", Assert.Single(response["Good"].Errors).ErrorCode);
        Assert.Equal("REQUIRED_FIELD_MISSING", Assert.Single(response["Bad"].Errors).ErrorCode);
        Assert.Empty(_h.Org.Records("Account"));
    }

    [Theory]
    [InlineData("https://evil.example/services/data/v62.0/sobjects/Account", "A")]
    [InlineData("/services/data/v62.0/../../x", "A")]
    [InlineData("/services/data/v62.0/sobjects/Account", "not a name")]
    public async Task SendCompositeAsync_UrlsOutsideTheDataApiOrBadReferenceIds_AreRefused(string url, string referenceId)
    {
        var request = new SalesforceCompositeRequest();
        request.Subrequests.Add(new("GET", url, referenceId));

        await Assert.ThrowsAsync<ArgumentException>(() => _h.Client.SendCompositeAsync(request, _ct));

        Assert.Equal(0, ApiRequests);
    }

    [Fact]
    public async Task GetApiVersionsAsync_ListsTheOrgsVersions()
    {
        var versions = await _h.Client.GetApiVersionsAsync(_ct);

        Assert.Contains(versions, v => v.Version == SalesforceJwtDefaults.ApiVersion && v.Url == "/services/data/v62.0");
    }

    [Fact]
    public async Task GetRecordAsync_JsonTypeInfoFromUserOptions_IsUsedForTheRecord()
    {
        var id = _h.Org.AddRecord("Account", new Dictionary<string, string> { ["Name"] = "Acme" });
        var options = new JsonSerializerOptions { PropertyNameCaseInsensitive = true, TypeInfoResolver = RestTestJson.Default };

        var record = await _h.Client.GetRecordAsync<Account>("Account", id, options: options, cancellationToken: _ct);

        Assert.Equal("Acme", record.Name);
        Assert.Equal("Account", record.Attributes!.Type);
    }
}
