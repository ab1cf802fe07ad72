using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SalesforceJwt.Tests.TestSupport;
using SalesforceJwt.Tokens;

namespace SalesforceJwt.Tests.Tokens;

public sealed class SalesforceTokenProviderTests : IDisposable
{
    private readonly SalesforceStub _org = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public void Dispose() => _org.Dispose();

    private static ISalesforceTokenProvider Tokens(ServiceProvider services) => services.GetRequiredService<ISalesforceTokenProvider>();

    [Fact]
    public async Task GetTokenAsync_FailureDuringAcquisition_ReachesEveryWaiter_AndTheNextCallTriesAgain()
    {
        _org.TokenEndpointAnswers(HttpStatusCode.BadRequest, """{"error":"invalid_grant","error_description":"user hasn't approved this consumer"}""");
        using var services = ServicesFor.Stub(_org);
        var tokens = Tokens(services);

        var waiters = Enumerable.Range(0, 20).Select(_ => tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, cancellationToken: _ct).AsTask()).ToList();
        foreach (var waiter in waiters)
        {
            var ex = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => waiter);
            Assert.Equal(SalesforceErrorCode.UserNotApproved, ex.Code);
        }

        Assert.Equal(1, _org.TokenRequests);
        await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, cancellationToken: _ct).AsTask());
        Assert.Equal(2, _org.TokenRequests);
    }

    [Fact]
    public async Task GetTokenAsync_CancellingOneWaiter_LeavesTheSharedAcquisitionRunningForOthers()
    {
        _org.IssuesTokens();
        _org.TokenGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var services = ServicesFor.Stub(_org);
        var tokens = Tokens(services);
        using var cancelled = new CancellationTokenSource();

        var first = tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, cancellationToken: cancelled.Token).AsTask();
        var second = tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, cancellationToken: _ct).AsTask();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        _org.TokenGate.SetResult();

        var token = await second;
        Assert.Equal(SalesforceStub.TokenNumber(1), token.AccessToken);
        Assert.Equal(1, _org.TokenRequests);
    }

    [Fact]
    public async Task GetTokenAsync_RejectedTokenAlreadyReplaced_ReturnsTheNewOneWithoutALogin()
    {
        _org.IssuesTokens();
        using var services = ServicesFor.Stub(_org);
        var tokens = Tokens(services);
        var first = await tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, cancellationToken: _ct);
        var second = await tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, new SalesforceTokenRequest { RejectedToken = first }, _ct);

        // A late 401 for the first token must not throw away the second.
        var third = await tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, new SalesforceTokenRequest { RejectedToken = first }, _ct);

        Assert.NotEqual(first.AccessToken, second.AccessToken);
        Assert.Same(second, third);
        Assert.Equal(2, _org.TokenRequests);
    }

    [Fact]
    public async Task GetTokenAsync_ManyCallersRejectingTheSameToken_CauseOneLogin()
    {
        _org.IssuesTokens();
        using var services = ServicesFor.Stub(_org);
        var tokens = Tokens(services);
        var stale = await tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, cancellationToken: _ct);

        _org.TokenGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var renewals = Enumerable.Range(0, 200)
            .Select(_ => tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, new SalesforceTokenRequest { RejectedToken = stale }, _ct).AsTask())
            .ToList();
        _org.TokenGate.SetResult();
        var renewed = await Task.WhenAll(renewals);

        Assert.All(renewed, t => Assert.Equal(SalesforceStub.TokenNumber(2), t.AccessToken));
        Assert.Equal(2, _org.TokenRequests);
    }

    [Fact]
    public async Task GetTokenAsync_MyDomainWithDefaultAudience_FallsBackToTheMyDomainOnce_AndKeepsIt()
    {
        var audiences = new List<string>();
        var handler = new StubHttpHandler((_, body) =>
        {
            var audience = JwtParts.ClaimInForm(body!, "aud")!;
            audiences.Add(audience);
            return audience == "https://acme.my.salesforce.com"
                ? Json(HttpStatusCode.OK, """{"access_token":"00Dxx!ok","instance_url":"https://acme.my.salesforce.com","token_type":"Bearer"}""")
                : Json(HttpStatusCode.BadRequest, """{"error":"app_not_found","error_description":"External client app is not installed in this org"}""");
        });
        using var services = WithTokenHandler(handler, o => o.LoginUrl = new Uri("https://acme.my.salesforce.com"));
        var tokens = Tokens(services);

        var token = await tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, cancellationToken: _ct);
        await tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, new SalesforceTokenRequest { RejectedToken = token }, _ct);

        Assert.Equal(["https://login.salesforce.com", "https://acme.my.salesforce.com", "https://acme.my.salesforce.com"], audiences);
        Assert.All(handler.Received, r => Assert.Equal(new Uri("https://acme.my.salesforce.com/services/oauth2/token"), r.Request.RequestUri));
    }

    [Fact]
    public async Task GetTokenAsync_CustomHostWhoseOwnUrlIsRejected_FallsBackToTheLoginHostOnce()
    {
        var audiences = new List<string>();
        var handler = new StubHttpHandler((_, body) =>
        {
            var audience = JwtParts.ClaimInForm(body!, "aud")!;
            audiences.Add(audience);
            return audience == "https://login.salesforce.com"
                ? Json(HttpStatusCode.OK, """{"access_token":"00Dxx!ok","instance_url":"https://acme.my.salesforce.com"}""")
                : Json(HttpStatusCode.BadRequest, """{"error":"invalid_grant","error_description":"audience is invalid"}""");
        });
        using var services = WithTokenHandler(handler, o => o.LoginUrl = new Uri("https://sso.acme.example"));
        var tokens = Tokens(services);

        var token = await tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, cancellationToken: _ct);
        await tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, new SalesforceTokenRequest { RejectedToken = token }, _ct);

        Assert.Equal(["https://sso.acme.example", "https://login.salesforce.com", "https://login.salesforce.com"], audiences);
    }

    [Fact]
    public async Task GetTokenAsync_ExplicitAudience_IsNeverReplaced()
    {
        var handler = new StubHttpHandler((_, _) =>
            Json(HttpStatusCode.BadRequest, """{"error":"invalid_grant","error_description":"audience is invalid"}"""));
        using var services = WithTokenHandler(handler, o =>
        {
            o.LoginUrl = new Uri("https://acme.my.salesforce.com");
            o.Audience = "https://login.salesforce.com";
        });

        var ex = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => Tokens(services).GetTokenAsync(SalesforceJwtDefaults.ClientName, cancellationToken: _ct).AsTask());

        Assert.Equal(SalesforceErrorCode.InvalidAudience, ex.Code);
        Assert.Single(handler.Received);
    }

    [Theory]
    [InlineData("https://login.salesforce.com", "https://login.salesforce.com")]
    [InlineData("https://test.salesforce.com/", "https://test.salesforce.com")]
    [InlineData("https://acme.my.salesforce.com", "https://login.salesforce.com")]
    [InlineData("https://acme--uat.sandbox.my.salesforce.com", "https://test.salesforce.com")]
    [InlineData("https://acme.my.site.com/partners", "https://acme.my.site.com/partners")]
    public async Task GetTokenAsync_DefaultAudience_FollowsTheLoginHost(string loginUrl, string expectedAudience)
    {
        string? audience = null;
        var handler = new StubHttpHandler((_, body) =>
        {
            audience = JwtParts.ClaimInForm(body!, "aud");
            return Json(HttpStatusCode.OK, """{"access_token":"00Dxx!ok","instance_url":"https://acme.my.salesforce.com"}""");
        });
        using var services = WithTokenHandler(handler, o => o.LoginUrl = new Uri(loginUrl));

        await Tokens(services).GetTokenAsync(SalesforceJwtDefaults.ClientName, cancellationToken: _ct);

        Assert.Equal(expectedAudience, audience);
    }

    private static ServiceProvider WithTokenHandler(StubHttpHandler handler, Action<SalesforceJwtOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddSalesforceJwt(o =>
        {
            o.ConsumerKey = "k";
            o.Username = "u@example.com";
            o.PrivateKey = TestKeys.Shared;
            configure(o);
        });
        services.AddHttpClient(SalesforceJwtDefaults.TokenClientName).ConfigurePrimaryHttpMessageHandler(() => handler);
        return services.BuildServiceProvider();
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    [Fact]
    public async Task GetTokenAsync_OnlyWaiterCancels_ThenTheExchangeFails_TheFailureIsStillObserved()
    {
        const string Marker = "unobserved-marker-7f3a";
        var gate = new TaskCompletionSource();
        _org.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath(SalesforceStub.TokenPath).UsingPost())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithCallback(async _ =>
            {
                await gate.Task;
                return SalesforceStub.Json(HttpStatusCode.BadRequest, $$"""{"error":"invalid_grant","error_description":"{{Marker}}"}""");
            }));
        var failed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var logs = new Microsoft.Extensions.Logging.Testing.FakeLogCollector(Microsoft.Extensions.Options.Options.Create(
            new Microsoft.Extensions.Logging.Testing.FakeLogCollectorOptions { OutputSink = line => { if (line.Contains(Marker, StringComparison.Ordinal)) { failed.TrySetResult(); } } }));
        using var services = ServicesFor.Stub(_org, logs: logs);

        await WaitThenCancelAsync(Tokens(services));
        gate.SetResult();
        await failed.Task.WaitAsync(_ct);

        // The exchange failed with nobody waiting on it; collecting garbage surfaces a failure nobody observed.
        for (var i = 0; i < 20; i++)
        {
            await Task.Yield();
            Assert.DoesNotContain(UnobservedTaskExceptionGuard.Collect(), e => e.ToString().Contains(Marker, StringComparison.Ordinal));
        }
    }

    /// <summary>In its own frame, so that nothing of the cancelled wait stays reachable from the test.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private async Task WaitThenCancelAsync(ISalesforceTokenProvider tokens)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(_ct);
        var waiter = tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, cancellationToken: cancel.Token).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter);
    }
}
