using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using SalesforceJwt.Tests.TestSupport;
using SalesforceJwt.Tokens;
using SalesforceJwt.Tokens.Internal;

namespace SalesforceJwt.Tests.Tokens;

/// <summary>The one AuthSession read per login: where it goes, what it carries, and that no answer can fail the login or be read without bound.</summary>
public sealed class AuthSessionReaderTests
{
    private static readonly SalesforceToken s_token = new("00DFK0000000001!AQ0AQ.secret-session", new Uri("https://acme.my.salesforce.com/ignored/path"), DateTimeOffset.UnixEpoch);
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private static HttpResponseMessage Json(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private async Task<(AuthSessionReader.Result Result, StubHttpHandler Handler)> ReadAsync(Func<HttpRequestMessage, string?, HttpResponseMessage> respond)
    {
        var handler = new StubHttpHandler(respond);
        using var client = new HttpClient(handler);
        var result = await AuthSessionReader.ReadAsync(client, new FakeTimeProvider(), s_token, "62.0", _ct);
        return (result, handler);
    }

    [Fact]
    public async Task Granted_ReadsNumSecondsValid_FromTheTokensOwnInstance_WithItsBearer()
    {
        var (result, handler) = await ReadAsync((_, _) => Json(HttpStatusCode.OK,
            """{"totalSize":1,"done":true,"records":[{"attributes":{"type":"AuthSession"},"NumSecondsValid":7200,"LastModifiedDate":"2026-11-26T08:00:00.000+0000"}]}"""));

        Assert.Equal(TimeSpan.FromHours(2), result.SessionTimeout);
        var (request, _) = Assert.Single(handler.Received);
        Assert.Equal("https://acme.my.salesforce.com/services/data/v62.0/query", request.RequestUri!.GetLeftPart(UriPartial.Path));
        Assert.Contains("AuthSession", Uri.UnescapeDataString(request.RequestUri.Query), StringComparison.Ordinal);
        Assert.Equal("Bearer " + s_token.AccessToken, request.Headers.Authorization!.ToString());
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden, """[{"message":"Insufficient Privileges","errorCode":"INSUFFICIENT_ACCESS"}]""", "INSUFFICIENT_ACCESS")]
    [InlineData(HttpStatusCode.BadRequest, """[{"message":"sObject type 'AuthSession' is not supported.","errorCode":"INVALID_TYPE"}]""", "INVALID_TYPE")]
    [InlineData(HttpStatusCode.OK, """{"totalSize":0,"done":true,"records":[]}""", "no current session row")]
    [InlineData(HttpStatusCode.BadGateway, "<html>proxy error</html>", "HTTP 502")]
    public async Task NotReadable_SaysWhy_WithoutAnyPartOfTheBody(HttpStatusCode status, string body, string refusal)
    {
        var (result, _) = await ReadAsync((_, _) => Json(status, body));

        Assert.Null(result.SessionTimeout);
        Assert.Equal(refusal, result.Refusal);
    }

    [Fact]
    public async Task AHugeAnswer_IsNotReadPastTheBound()
    {
        var (result, _) = await ReadAsync((_, _) => Json(HttpStatusCode.OK, "{\"records\":[" + new string(' ', 10 * AuthSessionReader.MaxResponseBytes) + "]}"));

        Assert.Null(result.SessionTimeout);
        Assert.Equal("answer too large", result.Refusal);
    }

    [Fact]
    public async Task AnUnreachableInstance_IsARefusal_NotAFailedLogin()
    {
        var (result, _) = await ReadAsync((_, _) => throw new HttpRequestException("connection refused"));

        Assert.Null(result.SessionTimeout);
        Assert.Equal("unreachable", result.Refusal);
    }
}
