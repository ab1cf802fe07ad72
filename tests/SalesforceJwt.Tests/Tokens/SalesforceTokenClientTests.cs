using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SalesforceJwt.Diagnostics;
using SalesforceJwt.Tests.TestSupport;
using SalesforceJwt.Tokens.Internal;

namespace SalesforceJwt.Tests.Tokens;

public sealed partial class SalesforceTokenClientTests : IDisposable
{
    private const string Assertion = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJrIn0.c2lnbmF0dXJl";
    private readonly SalesforceStub _stub = new();

    public void Dispose() => _stub.Dispose();

    private SalesforceTokenClient Client()
    {
        var services = ServicesFor.Stub(_stub);
        return services.GetRequiredService<SalesforceTokenClient>();
    }

    private Task<SalesforceJwt.Tokens.SalesforceToken> Request() =>
        Client().RequestTokenAsync(_stub.Url, Assertion, new("integration@example.com"), TestContext.Current.CancellationToken);

    [Fact]
    public async Task RequestTokenAsync_Success_PostsTheJwtBearerForm_AndReadsEveryField()
    {
        _stub.IssuesTokens();

        var token = await Request();

        var request = Assert.Single(_stub.Requests(SalesforceStub.TokenPath)).RequestMessage!;
        Assert.Equal("POST", request.Method);
        Assert.StartsWith("application/x-www-form-urlencoded", request.Headers!["Content-Type"].Single(), StringComparison.Ordinal);
        var form = System.Web.HttpUtility.ParseQueryString(request.Body!);
        Assert.Equal(["grant_type", "assertion"], form.AllKeys);
        Assert.Equal("urn:ietf:params:oauth:grant-type:jwt-bearer", form["grant_type"]);
        Assert.Equal(Assertion, form["assertion"]);
        Assert.False(request.Headers.ContainsKey("Authorization"));

        Assert.Equal(SalesforceStub.TokenNumber(1), token.AccessToken);
        Assert.Equal(_stub.Url.GetLeftPart(UriPartial.Authority), token.InstanceUrl.GetLeftPart(UriPartial.Authority));
        Assert.Equal(SalesforceStub.OrgId, token.OrganizationId);
        Assert.Equal(SalesforceStub.UserId, token.UserId);
        Assert.Equal("api", token.Scope);
        Assert.Equal("Bearer", token.TokenType);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1764151200000), token.IssuedAt);
        Assert.Equal("integration@example.com", token.Username);
    }

    [Fact]
    public async Task RequestTokenAsync_SuccessWithUnknownFieldsAndSiteUrl_IsTolerated()
    {
        _stub.TokenEndpointAnswers(HttpStatusCode.OK, """
            {"access_token":"00Dxx!abc","instance_url":"https://acme.my.salesforce.com","id":"https://login.salesforce.com/id/00Dxx0000001gPLEAY/005xx000001SwiUAAS",
             "token_type":"Bearer","scope":"web api","api_instance_url":"https://api.salesforce.com","sfdc_community_url":"https://acme.my.site.com/help",
             "sfdc_community_id":"0DBxx","signature":"sig","unexpected":{"nested":[1,2]}}
            """);

        var token = await Request();

        Assert.Equal(new Uri("https://acme.my.salesforce.com"), token.InstanceUrl);
        Assert.Equal(new Uri("https://acme.my.site.com/help"), token.SiteUrl);
        Assert.Null(token.IssuedAt);
    }

    [Fact]
    public async Task Token_ToString_HidesTheAccessToken()
    {
        _stub.IssuesTokens();
        var token = await Request();

        Assert.DoesNotContain(token.AccessToken, token.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("token-1", token.ToString(), StringComparison.Ordinal);
        Assert.Contains("[redacted]", token.ToString(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string, int> CatalogueErrors()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var entry in ErrorCatalog.TokenErrors)
        {
            data.Add(entry.Error, entry.Description!, (int)entry.Code);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CatalogueErrors))]
    public async Task RequestTokenAsync_SalesforceError_MapsToItsCodeAndHint(string error, string description, int code)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, string> { ["error"] = error, ["error_description"] = description });
        _stub.TokenEndpointAnswers(HttpStatusCode.BadRequest, body);

        var ex = await Assert.ThrowsAsync<SalesforceAuthenticationException>(Request);

        Assert.Equal((SalesforceErrorCode)code, ex.Code);
        Assert.Equal(error, ex.Error);
        Assert.Equal(description, ex.ErrorDescription);
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(ex.Hint));
        Assert.Contains(description, ex.Message, StringComparison.Ordinal);
        Assert.Contains(ex.Hint, ex.Message, StringComparison.Ordinal);
        Assert.Equal(ex.Code == SalesforceErrorCode.LoginRateExceeded, ex.IsTransient);

        // A definite OAuth answer is never retried by the token client's resilience pipeline.
        Assert.Equal(1, _stub.TokenRequests);
    }

    [Fact]
    public async Task RequestTokenAsync_UserNotApproved_HintNamesPreAuthorizationAndSandboxSuffix()
    {
        _stub.TokenEndpointAnswers(HttpStatusCode.BadRequest, """{"error":"invalid_grant","error_description":"user hasn't approved this consumer"}""");

        var ex = await Assert.ThrowsAsync<SalesforceAuthenticationException>(Request);

        Assert.Contains("pre-authorized", ex.Hint, StringComparison.Ordinal);
        Assert.Contains("sandbox suffix", ex.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestTokenAsync_UnknownError_KeepsSalesforcesRawText()
    {
        _stub.TokenEndpointAnswers(HttpStatusCode.BadRequest, """{"error":"brand_new_error","error_description":"Something Salesforce invented"}""");

        var ex = await Assert.ThrowsAsync<SalesforceAuthenticationException>(Request);

        Assert.Equal(SalesforceErrorCode.Unknown, ex.Code);
        Assert.Equal("brand_new_error", ex.Error);
        Assert.Contains("Something Salesforce invented", ex.Message, StringComparison.Ordinal);
        Assert.False(ex.IsTransient);
    }

    [Fact]
    public async Task RequestTokenAsync_ErrorWithChangedWording_StillMapsByErrorValue()
    {
        _stub.TokenEndpointAnswers(HttpStatusCode.BadRequest, """{"error":"inactive_user","error_description":"The user is not active"}""");

        var ex = await Assert.ThrowsAsync<SalesforceAuthenticationException>(Request);

        Assert.Equal(SalesforceErrorCode.InactiveUser, ex.Code);
    }

    [Theory]
    [InlineData(200, "application/json", "")]
    [InlineData(200, "application/json", "{not json")]
    [InlineData(200, "text/html", "<html><body>Down for maintenance</body></html>")]
    [InlineData(200, "application/json", """{"token_type":"Bearer","scope":"api"}""")]
    [InlineData(503, "text/html", "<html><body>Service Unavailable</body></html>")]
    [InlineData(500, "application/json", "")]
    [InlineData(404, "text/plain", "Not Found")]
    public async Task RequestTokenAsync_UnusableBody_ThrowsTokenEndpointExceptionSayingWhatCameBack(int status, string contentType, string body)
    {
        _stub.TokenEndpointAnswers((HttpStatusCode)status, body, contentType);

        var ex = await Assert.ThrowsAsync<SalesforceTokenEndpointException>(Request);

        Assert.Equal(SalesforceErrorCode.UnexpectedTokenResponse, ex.Code);
        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
        Assert.Equal(contentType, ex.ContentType);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
        Assert.Contains(contentType, ex.Message, StringComparison.Ordinal);
        Assert.Equal(string.IsNullOrEmpty(body), ex.BodyExcerpt is null);
        Assert.Equal(status is 200 or >= 500, ex.IsTransient);

        // 5xx answers are retried by the token client's resilience pipeline (three retries); the rest are not.
        Assert.Equal(status >= 500 ? 4 : 1, _stub.TokenRequests);
    }

    [Fact]
    public async Task RequestTokenAsync_TruncatedSuccessBody_NeverShowsTheTokenInTheError()
    {
        _stub.TokenEndpointAnswers(HttpStatusCode.OK, """{"access_token":"00Dxx0000001gPL!AR8AQJXg5oj8jXSgxJfA0lBog.39AsX""");

        var ex = await Assert.ThrowsAsync<SalesforceTokenEndpointException>(Request);

        Assert.DoesNotContain("AR8AQJXg5oj8", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("AR8AQJXg5oj8", ex.BodyExcerpt!, StringComparison.Ordinal);
        Assert.Contains("[redacted]", ex.BodyExcerpt!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestTokenAsync_SuccessWithoutInstanceUrl_SaysSo()
    {
        _stub.TokenEndpointAnswers(HttpStatusCode.OK, """{"access_token":"00Dxx!secret-value","token_type":"Bearer"}""");

        var ex = await Assert.ThrowsAsync<SalesforceTokenEndpointException>(Request);

        Assert.Contains("instance_url", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-value", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestTokenAsync_Redirect_IsNotFollowed_AndTheAssertionGoesNowhereElse()
    {
        _stub.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath(SalesforceStub.TokenPath))
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(307).WithHeader("Location", _stub.Url + "elsewhere/services/oauth2/token"));
        _stub.Answers("/elsewhere/services/oauth2/token", HttpStatusCode.OK, "{}");

        var ex = await Assert.ThrowsAsync<SalesforceTokenEndpointException>(Request);

        Assert.Equal(SalesforceErrorCode.TokenEndpointRedirected, ex.Code);
        Assert.Contains("elsewhere", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_stub.Requests("/elsewhere/services/oauth2/token"));
    }

    [Fact]
    public async Task RequestTokenAsync_NothingListening_ThrowsTransientUnreachable()
    {
        // Bound but never listening: connections are refused, and no other test's server can take the port meanwhile.
        using var reserved = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        reserved.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)reserved.LocalEndPoint!).Port;

        var ex = await Assert.ThrowsAsync<SalesforceTokenEndpointException>(() =>
            Client().RequestTokenAsync(new Uri($"http://127.0.0.1:{port}"), Assertion, new("u"), TestContext.Current.CancellationToken));

        Assert.Equal(SalesforceErrorCode.TokenEndpointUnreachable, ex.Code);
        Assert.True(ex.IsTransient);
        Assert.Null(ex.StatusCode);
        Assert.DoesNotContain(Assertion, ex.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://login.salesforce.com", "https://login.salesforce.com/services/oauth2/token")]
    [InlineData("https://acme.my.salesforce.com/", "https://acme.my.salesforce.com/services/oauth2/token")]
    [InlineData("https://acme.my.site.com/partners", "https://acme.my.site.com/partners/services/oauth2/token")]
    public void TokenEndpoint_AppendsThePathToTheLoginUrl(string loginUrl, string expected) =>
        Assert.Equal(new Uri(expected), SalesforceTokenClient.TokenEndpoint(new Uri(loginUrl)));
}
