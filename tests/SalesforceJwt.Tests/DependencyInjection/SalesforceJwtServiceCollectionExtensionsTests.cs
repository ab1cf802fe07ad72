using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SalesforceJwt.Tests.TestSupport;
using SalesforceJwt.Tokens;

namespace SalesforceJwt.Tests.DependencyInjection;

public sealed class SalesforceJwtServiceCollectionExtensionsTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    private string KeyFile() => TestKeys.WriteTemp(_dir, "key.pem", TestKeys.Shared.ExportPkcs8PrivateKeyPem());

    private static async Task<OptionsValidationException> StartFails(Dictionary<string, string?> settings, Action<SalesforceJwtOptions>? code = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        var connection = builder.Services.AddSalesforceJwt(builder.Configuration.GetSection("Salesforce"));
        if (code is not null)
        {
            builder.Services.Configure(SalesforceJwtDefaults.ClientName, code);
        }

        using var host = builder.Build();
        return await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
    }

    private Dictionary<string, string?> Valid() => new()
    {
        ["Salesforce:ConsumerKey"] = "3MVG9-key",
        ["Salesforce:Username"] = "integration@example.com",
        ["Salesforce:PrivateKeyPath"] = KeyFile(),
    };

    [Fact]
    public async Task Start_MissingConsumerKey_FailsNamingTheOption()
    {
        var settings = Valid();
        settings.Remove("Salesforce:ConsumerKey");
        var ex = await StartFails(settings);
        Assert.Contains("ConsumerKey", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_MissingUsername_FailsNamingTheOption()
    {
        var settings = Valid();
        settings.Remove("Salesforce:Username");
        var ex = await StartFails(settings);
        Assert.Contains("Username", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_MissingKeyFile_FailsNamingTheOptionAndPath()
    {
        var settings = Valid();
        settings["Salesforce:PrivateKeyPath"] = Path.Combine(_dir.Path, "missing.key");
        var ex = await StartFails(settings);
        Assert.Contains("PrivateKeyPath", ex.Message, StringComparison.Ordinal);
        Assert.Contains("missing.key", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_CertificateWithoutPrivateKey_FailsNamingTheOption()
    {
        using var withKey = TestKeys.SelfSigned(TestKeys.Shared);
        var certificate = X509CertificateLoader.LoadCertificate(withKey.RawData);
        var settings = Valid();
        settings.Remove("Salesforce:PrivateKeyPath");
        var ex = await StartFails(settings, o => o.Certificate = certificate);
        Assert.Contains("Certificate", ex.Message, StringComparison.Ordinal);
        Assert.Contains("no private key", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_HttpLoginUrl_FailsSayingHttpsIsRequired()
    {
        var settings = Valid();
        settings["Salesforce:LoginUrl"] = "http://login.salesforce.com";
        var ex = await StartFails(settings);
        Assert.Contains("LoginUrl", ex.Message, StringComparison.Ordinal);
        Assert.Contains("https", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://test.salesforce.com", "https://login.salesforce.com", "sandbox host")]
    [InlineData("https://acme--uat.sandbox.my.salesforce.com", "https://login.salesforce.com", "sandbox host")]
    [InlineData("https://login.salesforce.com", "https://test.salesforce.com", "production host")]
    [InlineData("https://login.salesforce.com", "https://login.salesforce.com/", "ends with '/'")]
    [InlineData("https://login.salesforce.com/services/oauth2/token", null, "without /services/oauth2/token")]
    public async Task Start_LoginUrlAndAudienceThatCannotMatch_Fail(string loginUrl, string? audience, string expected)
    {
        var settings = Valid();
        settings["Salesforce:LoginUrl"] = loginUrl;
        settings["Salesforce:Audience"] = audience;
        var ex = await StartFails(settings);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_AssertionLifetimeOutsideSalesforcesWindow_Fails()
    {
        var settings = Valid();
        settings["Salesforce:AssertionLifetime"] = "00:10:00";
        var ex = await StartFails(settings);
        Assert.Contains("AssertionLifetime", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SessionTimeout", "00:00:10")]
    [InlineData("ReauthenticationPause", "02:00:00")]
    [InlineData("LoginRateLimitPause", "-00:01:00")]
    [InlineData("MaxReplayBufferBytes", "-1")]
    public async Task Start_OutOfRangeValues_FailNamingTheOption(string key, string value)
    {
        var settings = Valid();
        settings["Salesforce:" + key] = value;
        var ex = await StartFails(settings);
        Assert.Contains(key, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ValidConfiguration_Starts_AndBindsEveryKey()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        var settings = Valid();
        settings["Salesforce:LoginUrl"] = "https://acme--uat.sandbox.my.salesforce.com";
        settings["Salesforce:Audience"] = "https://test.salesforce.com";
        settings["Salesforce:AssertionLifetime"] = "00:01:30";
        settings["Salesforce:SessionTimeout"] = "00:30:00";
        settings["Salesforce:ReauthenticationPause"] = "00:02:00";
        settings["Salesforce:LoginRateLimitPause"] = "00:10:00";
        settings["Salesforce:MaxReplayBufferBytes"] = "2048";
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSalesforceJwt(builder.Configuration.GetSection("Salesforce"));
        using var host = builder.Build();

        await host.StartAsync(_ct);

        var options = host.Services.GetRequiredService<IOptionsMonitor<SalesforceJwtOptions>>().Get(SalesforceJwtDefaults.ClientName);
        Assert.Equal("3MVG9-key", options.ConsumerKey);
        Assert.Equal("integration@example.com", options.Username);
        Assert.Equal(new Uri("https://acme--uat.sandbox.my.salesforce.com"), options.LoginUrl);
        Assert.Equal("https://test.salesforce.com", options.Audience);
        Assert.Equal(TimeSpan.FromSeconds(90), options.AssertionLifetime);
        Assert.Equal(TimeSpan.FromMinutes(30), options.SessionTimeout);
        Assert.Equal(TimeSpan.FromMinutes(2), options.ReauthenticationPause);
        Assert.Equal(TimeSpan.FromMinutes(10), options.LoginRateLimitPause);
        Assert.Equal(2048, options.MaxReplayBufferBytes);
        await host.StopAsync(_ct);
    }

    [Fact]
    public async Task TwoConnections_CoexistUnderTheirNames_EachWithItsOwnOrgAndToken()
    {
        using var orgA = new SalesforceStub();
        using var orgB = new SalesforceStub();
        orgA.IssuesTokens().Serves("/services/data/v62.0/limits", """{"org":"A"}""");
        orgB.IssuesTokens().Serves("/services/data/v62.0/limits", """{"org":"B"}""");
        var services = new ServiceCollection();
        services.AddSalesforceJwt("orgA", o => { o.ConsumerKey = "a"; o.Username = "a@example.com"; o.LoginUrl = orgA.Url; o.PrivateKey = TestKeys.Shared; });
        services.AddSalesforceJwt("orgB", o => { o.ConsumerKey = "b"; o.Username = "b@example.com"; o.LoginUrl = orgB.Url; o.PrivateKey = TestKeys.Shared; });
        using var provider = services.BuildServiceProvider();

        var a = await provider.Client("orgA").GetStringAsync("services/data/v62.0/limits", _ct);
        var b = await provider.Client("orgB").GetStringAsync("services/data/v62.0/limits", _ct);

        Assert.Contains("\"A\"", a, StringComparison.Ordinal);
        Assert.Contains("\"B\"", b, StringComparison.Ordinal);
        Assert.Equal(1, orgA.TokenRequests);
        Assert.Equal(1, orgB.TokenRequests);
    }

    [Fact]
    public async Task HttpClientBuilderExtension_AttachesToATypedClient_AndChainsUserHandlers()
    {
        using var org = new SalesforceStub();
        org.IssuesTokens().Serves("/services/data/v62.0/limits");
        var services = new ServiceCollection();
        var seen = new List<string?>();
        services.AddHttpClient<LimitsClient>()
            .AddSalesforceJwt(o => { o.ConsumerKey = "k"; o.Username = "u@example.com"; o.LoginUrl = org.Url; o.PrivateKey = TestKeys.Shared; })
            .AddHttpMessageHandler(() => new RecordingHandler(seen));
        using var provider = services.BuildServiceProvider();

        var status = await provider.GetRequiredService<LimitsClient>().GetStatusAsync(_ct);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Bearer " + SalesforceStub.TokenNumber(1), Assert.Single(seen));
    }

    [Fact]
    public async Task TokenProvider_IsUsableDirectly()
    {
        using var org = new SalesforceStub();
        org.IssuesTokens();
        using var provider = ServicesFor.Stub(org);
        var tokens = provider.GetRequiredService<ISalesforceTokenProvider>();

        var first = await tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, cancellationToken: _ct);
        var second = await tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, cancellationToken: _ct);

        Assert.Same(first, second);
        Assert.Equal(SalesforceStub.OrgId, first.OrganizationId);
    }

    [Fact]
    public async Task MisspeltConnectionName_SaysNoSuchConnection_AndNamesTheRegisteredOnes()
    {
        using var org = new SalesforceStub();
        using var provider = ServicesFor.Stub(org);
        var tokens = provider.GetRequiredService<ISalesforceTokenProvider>();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => tokens.GetTokenAsync("Salesforse", cancellationToken: _ct).AsTask());

        Assert.Contains("No Salesforce connection named 'Salesforse'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Registered: 'Salesforce'", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ConsumerKey", ex.Message, StringComparison.Ordinal);
    }

    internal sealed class LimitsClient(HttpClient http)
    {
        public async Task<HttpStatusCode> GetStatusAsync(CancellationToken ct)
        {
            using var response = await http.GetAsync("services/data/v62.0/limits", ct);
            return response.StatusCode;
        }
    }

    private sealed class RecordingHandler(List<string?> seen) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            seen.Add(request.Headers.Authorization?.ToString());
            return base.SendAsync(request, cancellationToken);
        }
    }
}
