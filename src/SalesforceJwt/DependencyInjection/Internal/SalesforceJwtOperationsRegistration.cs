using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly.Telemetry;
using SalesforceJwt.Diagnostics.Internal;
using SalesforceJwt.Http.Internal;

namespace SalesforceJwt.DependencyInjection.Internal;

/// <summary>Registers what runs beside the connections: start-up checks and warm-up, and the certificate expiry monitor.</summary>
internal static class SalesforceJwtOperationsRegistration
{
    public static void AddSalesforceJwtOperations(this IServiceCollection services, string connectionName)
    {
        services.AddSingleton(new SalesforceConnectionRegistration(connectionName));
        services.TryAddSingleton<CertificateExpiryMonitor>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SalesforceJwtStartup>());
        services.TryAddSingleton<TokenEndpointRetryLogging>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<HttpStandardResilienceOptions>, TokenEndpointRetryLogging>(sp => sp.GetRequiredService<TokenEndpointRetryLogging>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<TelemetryOptions>, TokenEndpointRetryLogging>(sp => sp.GetRequiredService<TokenEndpointRetryLogging>()));
    }
}
