using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SalesforceJwt.Http;
using SalesforceJwt.Tests.TestSupport;
using SalesforceJwt.Tokens;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace SalesforceJwt.Tests.Http;

/// <summary>
/// Attacks on the promises of docs/security.md found in the review of the issue-10 hardening: each test is what an
/// attacker or a misbehaving server can do, asserted as the promise states it.
/// </summary>
public sealed class SecurityReviewTests
{
    private const string BulkJob = "/services/async/62.0/job/750xx0000000001";
    private const string Limits = "services/data/v62.0/limits";
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    /// <summary>
    /// Auto-redirects are off, so a user adds the usual "follow redirects" handler for all clients. It re-sends the same
    /// message to the Location, or builds a new one with the headers copied as text, as many do: the SalesforceJwt
    /// handler sees a request for another origin and sends it on "without any credential" — but the message still
    /// carries the Authorization and X-SFDC-Session set on the first pass (or, copied, the current token as plain text).
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SendAsync_OuterHandlerSendsTheMessageOnToAnotherHost_TheOtherHostSeesNoCredential(bool copiesTheMessage)
    {
        using var instance = new SalesforceStub();
        using var elsewhere = new SalesforceStub();
        elsewhere.Answers("/*", HttpStatusCode.OK, "<ok/>");
        instance.IssuesTokens().Redirects(BulkJob, 307, new Uri(elsewhere.Url, BulkJob));
        var services = new ServiceCollection();
        services.ConfigureHttpClientDefaults(b => b.AddHttpMessageHandler(() => new FollowRedirectsHandler(copiesTheMessage)));
        services.AddSalesforceJwt(o => { o.ConsumerKey = "k"; o.Username = "u@example.com"; o.LoginUrl = instance.Url; o.PrivateKey = TestKeys.Shared; });
        services.Configure<Microsoft.Extensions.Http.Resilience.HttpStandardResilienceOptions>(SalesforceJwtDefaults.TokenClientName + "-standard", ServicesFor.ZeroRetryDelay);
        using var provider = services.BuildServiceProvider();

        using var response = await provider.Client().GetAsync(BulkJob.TrimStart('/'), _ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(instance.Requests(BulkJob));
        var leaked = Assert.Single(elsewhere.Requests(BulkJob)).RequestMessage!.Headers!;
        Assert.False(leaked.ContainsKey("Authorization"), $"Authorization reached another host: {string.Join(",", leaked.TryGetValue("Authorization", out var a) ? a : [])}");
        Assert.False(leaked.ContainsKey("X-SFDC-Session"), "X-SFDC-Session reached another host");
    }

    /// <summary>
    /// SalesforceJwtDefaults.TokenClientName says "Configure it to add a proxy". Doing so with
    /// ConfigurePrimaryHttpMessageHandler replaces the no-redirect primary handler; a 307 from the token endpoint then
    /// re-posts the signed assertion to the Location host, and the token comes from there.
    /// </summary>
    [Fact]
    public async Task GetTokenAsync_TokenClientGivenItsOwnPrimaryHandler_A307DoesNotRepostTheAssertionElsewhere()
    {
        using var login = new SalesforceStub();
        using var elsewhere = new SalesforceStub();
        elsewhere.IssuesTokens();
        login.Server.Given(Request.Create().WithPath(SalesforceStub.TokenPath))
            .RespondWith(Response.Create().WithStatusCode(307).WithHeader("Location", new Uri(elsewhere.Url, SalesforceStub.TokenPath).ToString()));
        var services = new ServiceCollection();
        services.AddSalesforceJwt(o => { o.ConsumerKey = "k"; o.Username = "u@example.com"; o.LoginUrl = login.Url; o.PrivateKey = TestKeys.Shared; });
        services.AddHttpClient(SalesforceJwtDefaults.TokenClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { UseProxy = false }); // "add a proxy"
        services.Configure<Microsoft.Extensions.Http.Resilience.HttpStandardResilienceOptions>(SalesforceJwtDefaults.TokenClientName + "-standard", ServicesFor.ZeroRetryDelay);
        using var provider = services.BuildServiceProvider();
        var tokens = provider.GetRequiredService<ISalesforceTokenProvider>();

        var ex = await Assert.ThrowsAsync<SalesforceTokenEndpointException>(async () => await tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, null, _ct));

        Assert.Equal(SalesforceErrorCode.TokenEndpointRedirected, ex.Code);
        Assert.Empty(elsewhere.Requests(SalesforceStub.TokenPath));
    }

    /// <summary>
    /// The classifier reads 64 KiB, but when the fresh token is rejected too the handler reads the replay's WHOLE body into
    /// a string for a 200-character excerpt: a 401 that streams without end exhausts memory (or hangs until the client's
    /// Timeout, forever when that is infinite).
    /// </summary>
    [Fact]
    public async Task SendAsync_FreshTokenRejectedWithAnEndlessBody_ReadsOnlyABoundedPrefix()
    {
        const long Total = 48L * 1024 * 1024;
        RawHttpServer server = null!;
        using var _ = server = new RawHttpServer(async (_, stream, stop) =>
        {
            await RawHttpServer.WriteHeadersAsync(stream, 401, "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n", stop);
            await server.WriteChunkedAsync(stream, "[{\"errorCode\":\"INVALID_SESSION_ID\",\"message\":\"", Total, (byte)'x', stop);
        });
        using var stub = new SalesforceStub();
        stub.IssuesTokens().InstanceUrl = server.Url;
        using var services = ServicesFor.Stub(stub);

        var ex = await Assert.ThrowsAsync<SalesforceSessionException>(() => services.Client().GetAsync(Limits, _ct));

        Assert.Equal(SalesforceErrorCode.SessionRejectedAfterRenewal, ex.Code);
        Assert.True(server.BodyBytesWritten < 24L * 1024 * 1024, $"the handler read {server.BodyBytesWritten:N0} bytes of two error bodies");
    }

    /// <summary>
    /// The per-path stop is keyed by the exact path. An Apex REST endpoint that answers a bare 401 for every record id
    /// (or any family of paths) costs one login per distinct path until MaxLoginsPerHour: 100 calls, ~100 logins, where
    /// docs/security.md promises "100 calls to a path that always answers 401 cost 2 logins".
    /// </summary>
    [Fact]
    public async Task SendAsync_FamilyOfPathsThatAlways401_WhileOthersSucceed_DoesNotCostALoginPerPath()
    {
        using var stub = new SalesforceStub();
        stub.IssuesTokens().Serves("/" + Limits);
        stub.Server.Given(Request.Create().WithPath(new WireMock.Matchers.WildcardMatcher("/services/apexrest/orders/*")))
            .RespondWith(Response.Create().WithStatusCode(401));
        using var services = ServicesFor.Stub(stub);
        var client = services.Client();

        for (var i = 0; i < 100; i++)
        {
            using (var ok = await client.GetAsync(Limits, _ct))
            {
                Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            }

            await Assert.ThrowsAnyAsync<SalesforceJwtException>(() => client.GetAsync($"services/apexrest/orders/801xx00000{i:D5}", _ct));
        }

        Assert.True(stub.TokenRequests <= 10, $"{stub.TokenRequests} logins for 100 calls");
    }

    /// <summary>
    /// Usernames are compared with OrdinalIgnoreCase, which folds more than Salesforce's ASCII case-insensitivity: a
    /// caller that passes "ſam@example.com" (long s) or "alıce@example.com" (dotless i) as the per-request username is
    /// handed the cached token of sam@example.com / alice@example.com — another user's session.
    /// </summary>
    [Theory]
    [InlineData("sam@example.com", "ſam@example.com")]
    [InlineData("alice@example.com", "alıce@example.com")]
    [InlineData("kim@example.com", "\u212Aim@example.com")]
    public async Task GetTokenAsync_UnicodeLookAlikeUsername_DoesNotGetAnotherUsersToken(string user, string lookAlike)
    {
        using var stub = new SalesforceStub();
        stub.IssuesTokens();
        using var services = ServicesFor.Stub(stub);
        var tokens = services.GetRequiredService<ISalesforceTokenProvider>();

        var real = await tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, new SalesforceTokenRequest { Username = user }, _ct);
        var other = await tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, new SalesforceTokenRequest { Username = lookAlike }, _ct);

        Assert.NotEqual(real.AccessToken, other.AccessToken);
    }

    /// <summary>Mid-body failure of a 401 being classified: the caller should get an HttpRequestException (as without the library), not a raw IOException.</summary>
    [Fact]
    public async Task SendAsync_ErrorBodyCutShort_CallerGetsHttpRequestException()
    {
        using var server = new RawHttpServer(async (_, stream, stop) =>
        {
            await RawHttpServer.WriteHeadersAsync(stream, 401, "Content-Type: application/json\r\nContent-Length: 5000\r\n", stop);
            await stream.WriteAsync(Encoding.ASCII.GetBytes("[{\"errorCode\":\"INVALID_SESSION_ID\""), stop);
            await stream.FlushAsync(stop);
        });
        using var stub = new SalesforceStub();
        stub.IssuesTokens().InstanceUrl = server.Url;
        using var services = ServicesFor.Stub(stub);

        var ex = await Record.ExceptionAsync(() => services.Client().GetAsync(Limits, _ct));

        Assert.True(ex is HttpRequestException or SalesforceJwtException, $"got {ex?.GetType().FullName}: {ex?.Message}");
    }

    /// <summary>
    /// [JsonIgnore] is System.Text.Json's alone. Newtonsoft.Json (and so many logging and caching setups) writes the
    /// access token of a SalesforceToken it serializes.
    /// </summary>
    [Fact]
    public void SalesforceToken_SerializedWithNewtonsoftJson_LeavesOutTheAccessToken()
    {
        var token = new SalesforceToken("00Dxx0000001gPL!AQ0AQ.secret-session", new Uri("https://acme.my.salesforce.com"), DateTimeOffset.UnixEpoch);

        var json = Newtonsoft.Json.JsonConvert.SerializeObject(token);

        Assert.DoesNotContain("secret-session", json, StringComparison.Ordinal);
    }

    /// <summary>
    /// The header-free request logger logs GetLeftPart(UriPartial.Path), which keeps user-info: a request through a
    /// Salesforce client to https://user:password@host/ writes the password to the log.
    /// </summary>
    [Fact]
    public async Task SendAsync_UriWithUserInfo_ThePasswordIsNotLogged()
    {
        using var stub = new SalesforceStub();
        stub.IssuesTokens();
        var logs = new Microsoft.Extensions.Logging.Testing.FakeLogCollector();
        using var services = ServicesFor.Stub(stub, logs: logs);

        using var response = await services.Client().GetAsync(new Uri(stub.Url.GetLeftPart(UriPartial.Scheme) + "someone:hunter2-password@" + stub.Url.Authority + "/x"), _ct);

        Assert.NotEmpty(logs.GetSnapshot());
        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Message.Contains("hunter2", StringComparison.Ordinal)
            || (r.StructuredState ?? []).Any(kv => kv.Value?.Contains("hunter2", StringComparison.Ordinal) == true));
    }

    /// <summary>
    /// One login counted against MaxLoginsPerHour can be two token requests: with a My Domain LoginUrl whose two audiences
    /// are both refused, every exchange tries both, so the budget lets twice as many logins through as it says.
    /// </summary>
    [Fact]
    public async Task GetTokenAsync_BothAudiencesRefused_TokenRequestsStayWithinTheLoginBudget()
    {
        var posts = 0;
        var wire = new StubHttpHandler((_, _) =>
        {
            Interlocked.Increment(ref posts);
            return new HttpResponseMessage(HttpStatusCode.BadRequest)
            {
                Content = new StringContent("""{"error":"invalid_grant","error_description":"audience is invalid"}""", Encoding.UTF8, "application/json"),
            };
        });
        var services = new ServiceCollection();
        services.AddSalesforceJwt(o =>
        {
            o.ConsumerKey = "k";
            o.Username = "u@example.com";
            o.PrivateKey = TestKeys.Shared;
            o.LoginUrl = new Uri("https://acme.my.salesforce.com");
            o.MaxLoginsPerHour = 5;
        });
        services.AddHttpClient(SalesforceJwtDefaults.TokenClientName).ConfigurePrimaryHttpMessageHandler(() => wire);
        using var provider = services.BuildServiceProvider();
        var tokens = provider.GetRequiredService<ISalesforceTokenProvider>();

        for (var i = 0; i < 20; i++)
        {
            await Assert.ThrowsAnyAsync<SalesforceJwtException>(async () => await tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, null, _ct));
        }

        Assert.True(posts <= 5, $"{posts} token requests with MaxLoginsPerHour = 5");
    }

    /// <summary>A token endpoint redirect with a relative Location must still be the typed TokenEndpointRedirected error.</summary>
    [Fact]
    public async Task GetTokenAsync_RedirectWithRelativeLocation_IsTheTypedRedirectError()
    {
        using var login = new SalesforceStub();
        login.Server.Given(Request.Create().WithPath(SalesforceStub.TokenPath))
            .RespondWith(Response.Create().WithStatusCode(302).WithHeader("Location", "/elsewhere/services/oauth2/token"));
        using var services = ServicesFor.Stub(login);
        var tokens = services.GetRequiredService<ISalesforceTokenProvider>();

        var ex = await Record.ExceptionAsync(async () => await tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, null, _ct));

        var typed = Assert.IsType<SalesforceTokenEndpointException>(ex);
        Assert.Equal(SalesforceErrorCode.TokenEndpointRedirected, typed.Code);
    }

    /// <summary>
    /// MaxLoginsPerHour is per user, and every distinct per-request username gets its own cache entry, kept for the life
    /// of the provider. An app that lets outside input choose the username (the option exists for acting as many users)
    /// can be made to make a token request per distinct string, without limit, and to grow the cache without limit.
    /// </summary>
    [Fact]
    public async Task SendAsync_ManyDistinctPerRequestUsernames_TokenRequestsOfTheConnectionAreBounded()
    {
        var posts = 0;
        var wire = new StubHttpHandler((_, _) =>
        {
            Interlocked.Increment(ref posts);
            return new HttpResponseMessage(HttpStatusCode.BadRequest)
            {
                Content = new StringContent("""{"error":"invalid_grant","error_description":"user hasn't approved this consumer"}""", Encoding.UTF8, "application/json"),
            };
        });
        var services = new ServiceCollection();
        services.AddSalesforceJwt(o => { o.ConsumerKey = "k"; o.Username = "u@example.com"; o.PrivateKey = TestKeys.Shared; o.MaxLoginsPerHour = 10; });
        services.AddHttpClient(SalesforceJwtDefaults.TokenClientName).ConfigurePrimaryHttpMessageHandler(() => wire);
        using var provider = services.BuildServiceProvider();
        var client = provider.Client();

        for (var i = 0; i < 200; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, Limits);
            request.Options.Set(SalesforceHttpRequestOptions.Username, $"attacker-chosen-{i}@example.com");
            await Assert.ThrowsAnyAsync<SalesforceJwtException>(() => client.SendAsync(request, _ct));
        }

        Assert.True(posts <= 100, $"{posts} token requests for 200 distinct usernames with MaxLoginsPerHour = 10");
    }

    /// <summary>
    /// AddSalesforceJwtConnection on the builder of ConfigureHttpClientDefaults ("every client authenticates as this
    /// connection") puts the Salesforce handler on the token endpoint client too: the token request waits for a token,
    /// and every request hangs for TokenRequestTimeout (30 s) and fails. The client name it registers is null, so the
    /// no-redirect filter matches none of those clients either. Refuse it when it is registered, with a clear error.
    /// </summary>
    [Fact]
    public void ConfigureHttpClientDefaults_AddSalesforceJwtConnection_IsRefusedWhenRegistered()
    {
        var services = new ServiceCollection();
        services.AddSalesforceJwt(o => { o.ConsumerKey = "k"; o.Username = "u@example.com"; o.PrivateKey = TestKeys.Shared; });

        var ex = Record.Exception(() => services.ConfigureHttpClientDefaults(b => b.AddSalesforceJwtConnection(SalesforceJwtDefaults.ClientName)));

        var refused = Assert.IsType<ArgumentException>(ex, exactMatch: false);
        Assert.Contains("ConfigureHttpClientDefaults", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>The token endpoint's own client cannot authenticate with the token it fetches: refused when registered.</summary>
    [Fact]
    public void TokenClient_AddSalesforceJwtConnection_IsRefusedWhenRegistered()
    {
        var services = new ServiceCollection();
        services.AddSalesforceJwt(o => { o.ConsumerKey = "k"; o.Username = "u@example.com"; o.PrivateKey = TestKeys.Shared; });

        var ex = Record.Exception(() => services.AddHttpClient(SalesforceJwtDefaults.TokenClientName).AddSalesforceJwtConnection(SalesforceJwtDefaults.ClientName));

        Assert.IsType<ArgumentException>(ex, exactMatch: false);
    }

    /// <summary>
    /// Excerpts redact session ids written with a literal '!', JSON values under known keys and JWTs; the same secrets
    /// written as URL-encoded (an error page echoing ?sid=…) or with a JSON-escaped key pass through.
    /// </summary>
    [Theory]
    [InlineData("<a href=\"/secur/frontdoor.jsp?sid=00DFK0000000001%21AQ0AQ.secret-session\">retry</a>")]
    [InlineData("{\"access\\u005ftoken\":\"opaque-secret-session\"}")]
    public void SafeExcerpt_EncodedSecrets_AreRedacted(string body)
    {
        var excerpt = SalesforceJwt.Diagnostics.SafeExcerpt.From(body);

        Assert.DoesNotContain("secret-session", excerpt, StringComparison.Ordinal);
    }

    /// <summary>
    /// The user's own outer handler: follows a 3xx by re-sending the same message to its Location, or a new message
    /// with the first one's headers copied as text.
    /// </summary>
    private sealed class FollowRedirectsHandler(bool copiesTheMessage) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if ((int)response.StatusCode is not (307 or 308) || response.Headers.Location is not { } location)
            {
                return response;
            }

            response.Dispose();
            var target = location.IsAbsoluteUri ? location : new Uri(request.RequestUri!, location);
            if (!copiesTheMessage)
            {
                request.RequestUri = target;
                return await base.SendAsync(request, cancellationToken);
            }

            using var copy = new HttpRequestMessage(request.Method, target);
            foreach (var header in request.Headers)
            {
                copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            return await base.SendAsync(copy, cancellationToken);
        }
    }
}
