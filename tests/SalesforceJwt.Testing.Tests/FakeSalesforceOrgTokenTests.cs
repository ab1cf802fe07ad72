using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace SalesforceJwt.Testing.Tests;

/// <summary>The fake's token endpoint against docs/salesforce-behaviour.md (token endpoint, claims, response, errors), driven by hand-made requests.</summary>
public sealed class FakeSalesforceOrgTokenTests : IDisposable
{
    private static readonly DateTimeOffset s_start = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(s_start);
    private readonly FakeSalesforceOrg _org;
    private readonly FakeIntegration _integration;
    private readonly RSA _key;
    private readonly HttpClient _http = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public FakeSalesforceOrgTokenTests()
    {
        _org = FakeSalesforceOrg.Start(new FakeSalesforceOrgOptions { TimeProvider = _time });
        _integration = _org.CreateIntegration();
        _key = _integration.Certificate.GetRSAPrivateKey()!;
    }

    public void Dispose()
    {
        _http.Dispose();
        _key.Dispose();
        _org.Dispose();
    }

    private Uri TokenEndpoint => new(_org.Url, "services/oauth2/token");

    private Dictionary<string, object> Claims(string? iss = null, string? sub = null, string? aud = null, object? exp = null) => new Dictionary<string, object>
    {
        ["iss"] = iss ?? _integration.ConsumerKey,
        ["sub"] = sub ?? _integration.Username,
        ["aud"] = aud ?? "https://login.salesforce.com",
        ["exp"] = exp ?? _time.GetUtcNow().AddMinutes(2).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpContent content)
    {
        using var response = await _http.PostAsync(TokenEndpoint, content, _ct);
        var text = await response.Content.ReadAsStringAsync(_ct);
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    private Task<(HttpStatusCode Status, JsonElement Body)> ExchangeAsync(object claims, RSA? key = null) =>
        PostAsync(HandMadeAssertion.Form(HandMadeAssertion.Sign(key ?? _key, claims)));

    private static void AssertError((HttpStatusCode Status, JsonElement Body) answer, string error, string description)
    {
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal(error, answer.Body.GetProperty("error").GetString());
        Assert.Equal(description, answer.Body.GetProperty("error_description").GetString());
    }

    [Fact]
    public async Task IndependentlySignedAssertion_IsAccepted_WithSalesforcesSuccessBody()
    {
        var (status, body) = await ExchangeAsync(Claims());

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("00DFK0000000001!", body.GetProperty("access_token").GetString(), StringComparison.Ordinal);
        Assert.Equal(_org.Url.GetLeftPart(UriPartial.Authority), body.GetProperty("instance_url").GetString());
        Assert.Equal($"{_org.Url.GetLeftPart(UriPartial.Authority)}/id/{FakeSalesforceOrg.OrganizationId}/{_integration.User.UserId}", body.GetProperty("id").GetString());
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal("api", body.GetProperty("scope").GetString());
        Assert.False(body.TryGetProperty("refresh_token", out _));
        Assert.False(body.TryGetProperty("expires_in", out _));
        Assert.Equal(1, _org.Counters.TokensIssued);
        Assert.Equal(1, _org.Counters.LoginsByUser[_integration.Username]);
    }

    [Fact]
    public async Task NumericExp_AndItsOwnUrlAsAudience_AreAccepted()
    {
        var (status, _) = await ExchangeAsync(Claims(aud: _org.Url.GetLeftPart(UriPartial.Authority), exp: _time.GetUtcNow().AddMinutes(3).ToUnixTimeSeconds()));
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task JsonBody_IsNotRead_GrantTypeIsMissing()
    {
        var answer = await PostAsync(new StringContent("""{"grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer"}""", Encoding.UTF8, "application/json"));
        AssertError(answer, "invalid_request", "grant type is missing");
    }

    [Fact]
    public async Task WrongGrantType_IsNotSupported()
    {
        var answer = await PostAsync(HandMadeAssertion.Form(HandMadeAssertion.Sign(_key, Claims()), "password"));
        AssertError(answer, "unsupported_grant_type", "grant type not supported");
    }

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("a.b")]
    [InlineData("")]
    public async Task MalformedAssertion_IsInvalid(string assertion)
    {
        AssertError(await PostAsync(HandMadeAssertion.Form(assertion)), "invalid_grant", "invalid assertion");
    }

    [Fact]
    public async Task StandardBase64WithPadding_IsInvalid()
    {
        var good = HandMadeAssertion.Sign(_key, Claims());
        AssertError(await PostAsync(HandMadeAssertion.Form(good + "==")), "invalid_grant", "invalid assertion");
    }

    [Fact]
    public async Task NonRs256Header_IsInvalid()
    {
        AssertError(await PostAsync(HandMadeAssertion.Form(HandMadeAssertion.Sign(_key, Claims(), alg: "RS512"))), "invalid_grant", "invalid assertion");
    }

    [Fact]
    public async Task UnknownConsumerKey_IsAnInvalidClientId()
    {
        AssertError(await ExchangeAsync(Claims(iss: "3MVG9-unknown")), "invalid_client_id", "client identifier invalid");
    }

    [Fact]
    public async Task KeyThatDoesNotMatchTheCertificate_IsAnInvalidAssertion()
    {
        using var other = RSA.Create(2048);
        AssertError(await ExchangeAsync(Claims(), other), "invalid_grant", "invalid assertion");
    }

    [Theory]
    [InlineData("https://test.salesforce.com")]
    [InlineData("https://login.salesforce.com/")]
    [InlineData("https://evil.example.com")]
    public async Task AudienceTheOrgDoesNotAccept_IsInvalid(string audience)
    {
        AssertError(await ExchangeAsync(Claims(aud: audience)), "invalid_grant", "audience is invalid");
    }

    [Fact]
    public async Task SandboxOrg_AcceptsTestAndRejectsLogin()
    {
        using var sandbox = FakeSalesforceOrg.Start(new FakeSalesforceOrgOptions { TimeProvider = _time, IsSandbox = true });
        var integration = sandbox.CreateIntegration("integration@example.com.uat");
        using var key = integration.Certificate.GetRSAPrivateKey()!;
        var endpoint = new Uri(sandbox.Url, "services/oauth2/token");
        object ClaimsFor(string aud) => new { iss = integration.ConsumerKey, sub = integration.Username, aud, exp = _time.GetUtcNow().AddMinutes(2).ToUnixTimeSeconds() };

        using var test = await _http.PostAsync(endpoint, HandMadeAssertion.Form(HandMadeAssertion.Sign(key, ClaimsFor("https://test.salesforce.com"))), _ct);
        using var login = await _http.PostAsync(endpoint, HandMadeAssertion.Form(HandMadeAssertion.Sign(key, ClaimsFor("https://login.salesforce.com"))), _ct);

        Assert.Equal(HttpStatusCode.OK, test.StatusCode);
        Assert.Contains("audience is invalid", await login.Content.ReadAsStringAsync(_ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExternalClientApp_RejectsTheLegacyLoginHost_WithAppNotFound_AndAcceptsItsMyDomain()
    {
        using var certificate = TestCertificate.Create();
        using var key = certificate.GetRSAPrivateKey()!;
        var eca = _org.AddConnectedApp("3MVG9-eca", certificate, isExternalClientApp: true);
        _integration.User.Approve(eca);

        AssertError(await ExchangeAsync(Claims(iss: "3MVG9-eca"), key), "app_not_found", "External client app is not installed in this org");
        var (status, _) = await ExchangeAsync(Claims(iss: "3MVG9-eca", aud: _org.Url.GetLeftPart(UriPartial.Authority)), key);
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task ExpInThePast_IsAnExpiredAuthorizationCode()
    {
        AssertError(await ExchangeAsync(Claims(exp: _time.GetUtcNow().AddSeconds(-1).ToUnixTimeSeconds())), "invalid_grant", "expired authorization code");
    }

    [Fact]
    public async Task MissingExp_IsAnExpiredAuthorizationCode()
    {
        var claims = new { iss = _integration.ConsumerKey, sub = _integration.Username, aud = "https://login.salesforce.com" };
        AssertError(await ExchangeAsync(claims), "invalid_grant", "expired authorization code");
    }

    [Fact]
    public async Task ExpTooFarAhead_IsRejected()
    {
        AssertError(await ExchangeAsync(Claims(exp: _time.GetUtcNow().AddMinutes(30).ToUnixTimeSeconds())), "invalid_grant", "invalid assertion");
    }

    [Fact]
    public async Task UnknownUsername_LooksLikeAMissingApproval()
    {
        AssertError(await ExchangeAsync(Claims(sub: "integration@example.com.wrongsuffix")), "invalid_grant", "user hasn't approved this consumer");
    }

    [Fact]
    public async Task InactiveUser_IsRefused()
    {
        _integration.User.IsActive = false;
        AssertError(await ExchangeAsync(Claims()), "inactive_user", "User is inactive");
    }

    [Fact]
    public async Task UnapprovedUser_HasNotApprovedTheConsumer()
    {
        _org.AddUser("stranger@example.com");
        AssertError(await ExchangeAsync(Claims(sub: "stranger@example.com")), "invalid_grant", "user hasn't approved this consumer");
    }

    [Fact]
    public async Task UnapprovedUser_OfAnAdminApprovedApp_IsNotAdminApproved()
    {
        using var certificate = TestCertificate.Create();
        using var key = certificate.GetRSAPrivateKey()!;
        _org.AddConnectedApp("3MVG9-admin", certificate, adminApprovedUsersOnly: true);
        AssertError(await ExchangeAsync(Claims(iss: "3MVG9-admin"), key), "invalid_app_access", "user is not admin approved to access this app");
    }

    [Fact]
    public async Task LoginRateLimit_RefusesWithinTheHour_AndRecoversAsTheHourRolls()
    {
        _org.LoginRateLimitPerHour = 3;
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await ExchangeAsync(Claims())).Status);
            _time.Advance(TimeSpan.FromMinutes(10));
        }

        AssertError(await ExchangeAsync(Claims()), "invalid_grant", "login rate exceeded");
        _time.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(HttpStatusCode.OK, (await ExchangeAsync(Claims())).Status);
        Assert.Equal(1, _org.Counters.TokenErrors["login rate exceeded"]);
        Assert.Equal(4, _org.Counters.LoginsByUser[_integration.Username]);
    }

    [Fact]
    public async Task CountersRecordEveryOutcome()
    {
        await ExchangeAsync(Claims());
        await ExchangeAsync(Claims(iss: "nope"));
        await ExchangeAsync(Claims(aud: "https://nope.example.com"));

        var counters = _org.Counters;
        Assert.Equal(3, counters.TokenRequests);
        Assert.Equal(1, counters.TokensIssued);
        Assert.Equal(1, counters.TokenErrors["client identifier invalid"]);
        Assert.Equal(1, counters.TokenErrors["audience is invalid"]);
        Assert.Equal(1, counters.MaxConcurrentTokenRequests);
    }
}
