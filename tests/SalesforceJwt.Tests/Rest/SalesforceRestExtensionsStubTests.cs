using System.Net;
using System.Text;
using SalesforceJwt.Rest;
using SalesforceJwt.Tests.TestSupport;

namespace SalesforceJwt.Tests.Rest;

/// <summary>
/// The helpers against an in-memory stub: shapes the fake org never sends (hostile nextRecordsUrl values, 204 upserts,
/// proxy pages). Needing no fake org, these also run against the netstandard2.0 build.
/// </summary>
public sealed class SalesforceRestExtensionsStubTests
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("https://evil.example/services/data/v62.0/query/01g-2000")]
    [InlineData("//evil.example/services/data/v62.0/query/01g-2000")]
    [InlineData("/services/data/v62.0/../../id/00D/005")]
    [InlineData("/services/data/v62.0/query/01g\\..\\x")]
    [InlineData("/services/apexrest/steal")]
    [InlineData(null)]
    public async Task QueryAsync_NextRecordsUrlOutsideTheDataApi_IsNeverFollowed(string? next)
    {
        var body = $$"""{"totalSize":2,"done":false,"nextRecordsUrl":{{(next is null ? "null" : System.Text.Json.JsonSerializer.Serialize(next))}},"records":[{"Id":"001000000000001AAA"}]}""";
        var stub = new StubHttpHandler((_, _) => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        using var client = new HttpClient(stub) { BaseAddress = SalesforceJwtDefaults.InstanceBaseAddress };

        var ex = await Assert.ThrowsAsync<SalesforceApiException>(async () =>
        {
            await foreach (var _ in client.QueryAsync("SELECT Id FROM Account", RestTestJson.Default.Account, _ct))
            {
            }
        });

        Assert.Equal(SalesforceErrorCode.UnexpectedApiResponse, ex.Code);
        Assert.Single(stub.Received);
        Assert.Throws<ArgumentException>(() => { _ = client.QueryNextPageAsync(next ?? string.Empty, RestTestJson.Default.Account, _ct); });
    }

    [Theory]
    [InlineData("<html>maintenance</html>")]
    [InlineData("""{"totalSize":1,"done":true,"records":[{"Id":1}]}""")]
    public async Task QueryAsync_AnAnswerThatIsNotAQueryPage_IsATypedError(string body)
    {
        var stub = new StubHttpHandler((_, _) => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        using var client = new HttpClient(stub) { BaseAddress = SalesforceJwtDefaults.InstanceBaseAddress };

        var ex = await Assert.ThrowsAsync<SalesforceApiException>(() => client.QueryPageAsync("SELECT Id FROM Account", RestTestJson.Default.Account, _ct));

        Assert.Equal(SalesforceErrorCode.UnexpectedApiResponse, ex.Code);
    }

    [Theory]
    [InlineData(204, null, false)]
    [InlineData(200, """{"id":"001000000000001AAA","success":true,"errors":[],"created":false}""", false)]
    [InlineData(201, """{"id":"001000000000001AAA","success":true,"errors":[],"created":true}""", true)]
    public async Task UpsertRecordAsync_Accepts200And204ForAnUpdate_And201ForACreate(int status, string? body, bool created)
    {
        var stub = new StubHttpHandler((_, _) => new HttpResponseMessage((HttpStatusCode)status) { Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json") });
        using var client = new HttpClient(stub) { BaseAddress = SalesforceJwtDefaults.InstanceBaseAddress };

        var result = await client.UpsertRecordAsync("Account", "Code__c", "A1", new Account { Name = "Acme" }, RestTestJson.Default.Account, _ct);

        Assert.Equal(created, result.Created);
        Assert.Equal(body is null ? null : "001000000000001AAA", result.Id);
        var (request, sent) = Assert.Single(stub.Received);
        Assert.Equal("PATCH", request.Method.Method);
        Assert.Equal("/services/data/v62.0/sobjects/Account/Code__c/A1", request.RequestUri!.AbsolutePath);
        Assert.Equal("""{"Name":"Acme"}""", sent);
    }

    [Fact]
    public async Task EveryEntryOfTheArray_IsKept_AndANonJsonBodyGivesARedactedExcerpt()
    {
        const string twoErrors = """[{"message":"Name: bad","errorCode":"FIELD_CUSTOM_VALIDATION_EXCEPTION","fields":["Name"]},{"message":"Phone: bad","errorCode":"INVALID_FIELD_FOR_INSERT_UPDATE","fields":["Phone","Fax"]}]""";
        var answers = new Queue<(HttpStatusCode, string, string)>([
            (HttpStatusCode.BadRequest, "application/json", twoErrors),
            (HttpStatusCode.BadGateway, "text/html", "<html>proxy error for 00D000000000001!AQ.secret.token</html>"),
        ]);
        var stub = new StubHttpHandler((_, _) =>
        {
            var (status, type, body) = answers.Dequeue();
            return new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, type) };
        });
        using var client = new HttpClient(stub) { BaseAddress = SalesforceJwtDefaults.InstanceBaseAddress };

        var first = await Assert.ThrowsAsync<SalesforceApiException>(() => client.CreateRecordAsync("Account", new Account { Name = "x" }, RestTestJson.Default.Account, _ct));
        var second = await Assert.ThrowsAsync<SalesforceApiException>(() => client.DeleteRecordAsync("Account", "001000000000001AAA", _ct));

        Assert.Equal(["FIELD_CUSTOM_VALIDATION_EXCEPTION", "INVALID_FIELD_FOR_INSERT_UPDATE"], first.Errors.Select(e => e.ErrorCode));
        Assert.Equal(["Phone", "Fax"], first.Errors[1].Fields);
        Assert.Empty(second.Errors);
        Assert.True(second.IsTransient);
        Assert.DoesNotContain("secret", second.BodyExcerpt, StringComparison.Ordinal);
        Assert.Contains("proxy error", second.BodyExcerpt, StringComparison.Ordinal);
    }
}
