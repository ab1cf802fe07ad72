using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SalesforceJwt.Rest;
using SalesforceJwt.Testing;
using SalesforceJwt.Tests.TestSupport;

namespace SalesforceJwt.Tests.Rest;

/// <summary>The options the helpers read, and a test configuring the app from configuration as production does.</summary>
public sealed class RestConfigurationTests
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("v62.0")]
    [InlineData("62")]
    [InlineData("62.1")]
    [InlineData("6.0")]
    [InlineData("")]
    public void ApiVersion_NotLike62Point0_FailsValidationWithTheFix(string version)
    {
        using var h = new FakeOrgHarness(o => o.ApiVersion = version);

        var ex = Assert.Throws<OptionsValidationException>(() => h.Services.GetRequiredService<IOptionsMonitor<SalesforceJwtOptions>>().Get(SalesforceJwtDefaults.ClientName));

        Assert.Contains("ApiVersion", ex.Message, StringComparison.Ordinal);
        Assert.Contains("62.0", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void ApiUsageWarningThreshold_OutsideZeroToOne_FailsValidation(double threshold)
    {
        using var h = new FakeOrgHarness(o => o.ApiUsageWarningThreshold = threshold);

        var ex = Assert.Throws<OptionsValidationException>(() => h.Services.GetRequiredService<IOptionsMonitor<SalesforceJwtOptions>>().Get(SalesforceJwtDefaults.ClientName));

        Assert.Contains("ApiUsageWarningThreshold", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FakeIntegrationConfiguration_OverridesAppSettingsKeySources_SoTheAppStartsAsInProduction()
    {
        using var org = FakeSalesforceOrg.Start();
        var integration = org.CreateIntegration();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                // What an appsettings.json would name for production.
                ["Salesforce:CertificateThumbprint"] = "0123456789ABCDEF0123456789ABCDEF01234567",
                ["Salesforce:ApiVersion"] = "62.0",
            })
            .AddInMemoryCollection(integration.ToConfiguration())
            .Build();
        var services = new ServiceCollection();
        services.AddSalesforceJwt(configuration.GetSection("Salesforce"));
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient(SalesforceJwtDefaults.ClientName);

        var versions = await client.GetApiVersionsAsync(_ct);
        var id = await client.CreateRecordAsync("Account", new { Name = "From configuration" }, cancellationToken: _ct);

        Assert.NotEmpty(versions);
        Assert.Single(org.Records("Account"), r => r.Contains(id, StringComparison.Ordinal));
        var keyPath = integration.ToConfiguration()["Salesforce:PrivateKeyPath"]!;
        Assert.True(File.Exists(keyPath));
        org.Dispose();
        Assert.False(File.Exists(keyPath));
    }
}
