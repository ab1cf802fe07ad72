using Microsoft.Extensions.DependencyInjection;
using SalesforceJwt.Rest;
using SalesforceJwt.Tests.TestSupport;

namespace SalesforceJwt.Tests.Rest;

/// <summary>The README's "Calling the APIs" snippet, kept compiling and passing against the fake org.</summary>
public sealed class ReadmeRestExampleTests
{
    [Fact]
    public async Task ReadmeSnippet_QueryCountCreateUpdateUpsertDeleteAndNotFound()
    {
        using var h = new FakeOrgHarness();
        h.Org.AddExternalIdField("Account", "ErpId__c");
        h.Org.AddRecord("Account", new Dictionary<string, object?> { ["Name"] = "Acme Old", ["CreatedDate"] = "2024-05-01T10:00:00.000+0000" });
        var httpClientFactory = h.Services.GetRequiredService<IHttpClientFactory>();
        var cancellationToken = TestContext.Current.CancellationToken;
        var prefix = "Acme";
        var since = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var seen = new List<Account>();

        var client = httpClientFactory.CreateClient(SalesforceJwtDefaults.ClientName);

        var soql = Soql.Format($"SELECT Id, Name, CreatedDate FROM Account WHERE Name LIKE {Soql.LikeText(prefix) + "%"} AND CreatedDate > {since}");
        await foreach (var account in client.QueryAsync(soql, RestTestJson.Default.Account, cancellationToken))
        {
            seen.Add(account);
        }

        var first = await client.QueryPageAsync("SELECT COUNT() FROM Account", RestTestJson.Default.Account, cancellationToken);

        var id = await client.CreateRecordAsync("Account", new Account { Name = "Acme" }, RestTestJson.Default.Account, cancellationToken);
        await client.UpdateRecordAsync("Account", id, new Account { Name = "Acme Corporation" }, RestTestJson.Default.Account, cancellationToken);
        var upsert = await client.UpsertRecordAsync("Account", "ErpId__c", "A-42", new Account { Name = "Globex" }, RestTestJson.Default.Account, cancellationToken);
        await client.DeleteRecordAsync("Account", id, cancellationToken);

        var ex = await Assert.ThrowsAsync<SalesforceApiException>(() => client.GetRecordAsync("Account", "001000000000404AAA", RestTestJson.Default.Account, fields: ["Name"], cancellationToken));

        Assert.Equal("Acme Old", Assert.Single(seen).Name);
        Assert.Equal(1, first.TotalSize);
        Assert.True(upsert.Created);
        Assert.Equal("NOT_FOUND", ex.ErrorCode);
        Assert.Equal(2, h.Org.Records("Account").Count);
    }
}
