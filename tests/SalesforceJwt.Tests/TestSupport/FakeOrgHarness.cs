using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using SalesforceJwt.Testing;
using SalesforceJwt.Tokens;

namespace SalesforceJwt.Tests.TestSupport;

/// <summary>A fake org and the DI graph a user would build against it, sharing one fake clock.</summary>
internal sealed class FakeOrgHarness : IDisposable
{
    public FakeOrgHarness(
        Action<SalesforceJwtOptions>? configure = null,
        FakeSalesforceOrgOptions? orgOptions = null,
        bool zeroRetryDelay = true,
        Action<IHttpClientBuilder>? client = null)
    {
        Clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero));
        orgOptions ??= new FakeSalesforceOrgOptions();
        orgOptions.TimeProvider = Clock;
        Org = FakeSalesforceOrg.Start(orgOptions);
        Integration = Org.CreateIntegration();

        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddLogging(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(Logs)));
        var builder = services.AddSalesforceJwt(options =>
        {
            Integration.Configure(options);
            configure?.Invoke(options);
        });
        client?.Invoke(builder);
        if (zeroRetryDelay)
        {
            services.Configure<Microsoft.Extensions.Http.Resilience.HttpStandardResilienceOptions>(
                SalesforceJwtDefaults.TokenClientName + "-standard", ServicesFor.ZeroRetryDelay);
        }

        Services = services.BuildServiceProvider();
        Client = Services.GetRequiredService<IHttpClientFactory>().CreateClient(SalesforceJwtDefaults.ClientName);
    }

    public FakeTimeProvider Clock { get; }

    public FakeSalesforceOrg Org { get; }

    public FakeIntegration Integration { get; }

    public FakeLogCollector Logs { get; } = new();

    public ServiceProvider Services { get; }

    public HttpClient Client { get; }

    public ISalesforceTokenProvider Tokens => Services.GetRequiredService<ISalesforceTokenProvider>();

    public void Dispose()
    {
        Services.Dispose();
        Org.Dispose();
    }
}
