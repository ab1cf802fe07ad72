using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using SalesforceJwt.Testing;

namespace SalesforceJwt.Tests.TestSupport;

/// <summary>A host as an app builds it (hosted services, start-up validation), against a fake org on one fake clock.</summary>
internal sealed class HostHarness : IDisposable
{
    public HostHarness(Action<SalesforceJwtOptions>? configure = null, TimeSpan? certificateValidFor = null, Action<IServiceCollection>? services = null)
    {
        Org = FakeSalesforceOrg.Start(new FakeSalesforceOrgOptions { TimeProvider = Clock });
        Integration = Org.CreateIntegration();
        Certificate = TestCertificate.Create(validFor: certificateValidFor ?? TimeSpan.FromDays(365), timeProvider: Clock);
        App = Org.AddConnectedApp("3MVG9-host", Certificate);
        Integration.User.Approve(App);

        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton<TimeProvider>(Clock);
        builder.Logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(Logs));
        builder.Services.AddSalesforceJwt(options =>
        {
            Integration.Configure(options);
            options.ConsumerKey = "3MVG9-host";
            options.Certificate = Certificate;
            configure?.Invoke(options);
        });
        builder.Services.Configure<Microsoft.Extensions.Http.Resilience.HttpStandardResilienceOptions>(
            SalesforceJwtDefaults.TokenClientName + "-standard", ServicesFor.ZeroRetryDelay);
        services?.Invoke(builder.Services);
        Host = builder.Build();
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero));

    public FakeSalesforceOrg Org { get; }

    public FakeIntegration Integration { get; }

    public X509Certificate2 Certificate { get; }

    public FakeConnectedApp App { get; }

    public FakeLogCollector Logs { get; } = new();

    public IHost Host { get; }

    public IReadOnlyList<FakeLogRecord> Named(string eventName) => Logs.GetSnapshot().Where(r => r.Id.Name == eventName).ToList();

    public void Dispose()
    {
        Host.Dispose();
        Certificate.Dispose();
        Org.Dispose();
    }
}
