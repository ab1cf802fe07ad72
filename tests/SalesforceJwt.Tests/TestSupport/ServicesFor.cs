using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace SalesforceJwt.Tests.TestSupport;

/// <summary>Builds the DI graph a user would, against a stub, with a fake clock and captured logs.</summary>
internal static class ServicesFor
{
    public static ServiceProvider Stub(SalesforceStub stub, Action<SalesforceJwtOptions>? configure = null, FakeTimeProvider? time = null, FakeLogCollector? logs = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time ?? new FakeTimeProvider(DateTimeOffset.UtcNow));
        services.AddLogging(builder =>
        {
            builder.SetMinimumLevel(LogLevel.Trace);
            if (logs is not null)
            {
                builder.AddProvider(new FakeLoggerProvider(logs));
            }
        });
        services.AddSalesforceJwt(options =>
        {
            options.ConsumerKey = "3MVG9-test-consumer-key";
            options.Username = "integration@example.com";
            options.LoginUrl = stub.Url;
            options.PrivateKey = TestKeys.Shared;
            configure?.Invoke(options);
        });
        services.Configure<HttpStandardResilienceOptions>(SalesforceJwtDefaults.TokenClientName + "-standard", ZeroRetryDelay);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>Retries without waiting, so tests of transient failures need not drive the clock through backoff.</summary>
    public static void ZeroRetryDelay(HttpStandardResilienceOptions options) => options.Retry.Delay = TimeSpan.Zero;

    public static HttpClient Client(this ServiceProvider provider, string name = SalesforceJwtDefaults.ClientName) =>
        provider.GetRequiredService<IHttpClientFactory>().CreateClient(name);
}
