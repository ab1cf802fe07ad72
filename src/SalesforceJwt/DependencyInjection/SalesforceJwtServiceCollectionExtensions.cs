using SalesforceJwt.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;
using SalesforceJwt;
using SalesforceJwt.DependencyInjection.Internal;
using SalesforceJwt.Diagnostics;
using SalesforceJwt.Http;
using SalesforceJwt.Http.Internal;
using SalesforceJwt.Rest.Internal;
using SalesforceJwt.Tokens;
using SalesforceJwt.Tokens.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Salesforce connections that authenticate with the OAuth 2.0 JWT bearer flow.</summary>
public static class SalesforceJwtServiceCollectionExtensions
{
    /// <summary>
    /// Registers the connection <see cref="SalesforceJwtDefaults.ClientName"/> from a configuration section and a named
    /// <see cref="HttpClient"/> of the same name that authenticates as it.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section holding the options, usually <c>configuration.GetSection("Salesforce")</c>.</param>
    /// <returns>The builder of the <see cref="HttpClient"/>, to chain further handlers.</returns>
    public static IHttpClientBuilder AddSalesforceJwt(this IServiceCollection services, IConfiguration configuration) =>
        services.AddSalesforceJwt(SalesforceJwtDefaults.ClientName, configuration);

    /// <summary>
    /// Registers the connection <see cref="SalesforceJwtDefaults.ClientName"/> configured in code and a named
    /// <see cref="HttpClient"/> of the same name that authenticates as it.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder of the <see cref="HttpClient"/>, to chain further handlers.</returns>
    public static IHttpClientBuilder AddSalesforceJwt(this IServiceCollection services, Action<SalesforceJwtOptions> configure) =>
        services.AddSalesforceJwt(SalesforceJwtDefaults.ClientName, configure);

    /// <summary>Registers a named connection from a configuration section, and a named <see cref="HttpClient"/> of the same name.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The connection's name; also the name of its <see cref="HttpClient"/>.</param>
    /// <param name="configuration">The section holding the options.</param>
    /// <returns>The builder of the <see cref="HttpClient"/>, to chain further handlers.</returns>
    public static IHttpClientBuilder AddSalesforceJwt(this IServiceCollection services, string name, IConfiguration configuration)
    {
        Guard.NotNull(services);
        Guard.NotNull(configuration);
        services.AddSalesforceJwtConnection(name).BindSalesforceJwt(configuration);
        return services.AddHttpClient(name).AddSalesforceJwtHandler(name);
    }

    /// <summary>Registers a named connection configured in code, and a named <see cref="HttpClient"/> of the same name.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The connection's name; also the name of its <see cref="HttpClient"/>.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder of the <see cref="HttpClient"/>, to chain further handlers.</returns>
    public static IHttpClientBuilder AddSalesforceJwt(this IServiceCollection services, string name, Action<SalesforceJwtOptions> configure)
    {
        Guard.NotNull(services);
        Guard.NotNull(configure);
        services.AddSalesforceJwtConnection(name).Configure(configure);
        return services.AddHttpClient(name).AddSalesforceJwtHandler(name);
    }

    internal static OptionsBuilder<SalesforceJwtOptions> AddSalesforceJwtConnection(this IServiceCollection services, string name)
    {
        Guard.NotNullOrEmpty(name);
        services.AddSalesforceJwtCore();
        services.AddSingleton(new SalesforceConnectionName(name));
        services.AddSalesforceJwtOperations(name);
        return services.AddOptions<SalesforceJwtOptions>(name).ValidateOnStart();
    }

    internal static IHttpClientBuilder AddSalesforceJwtHandler(this IHttpClientBuilder builder, string connectionName)
    {
        // On every client, the token endpoint's own would wait for the token it fetches; and a client without a name
        // escapes the no-redirect filter.
        if (builder.Name is null)
        {
            throw new ArgumentException(
                "SalesforceJwt cannot be added in ConfigureHttpClientDefaults: it would also be on the client that fetches the token. " +
                $"Call AddSalesforceJwtConnection(\"{connectionName}\") on each client that calls Salesforce.", nameof(builder));
        }

        if (string.Equals(builder.Name, SalesforceJwtDefaults.TokenClientName, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"SalesforceJwt cannot be added to '{SalesforceJwtDefaults.TokenClientName}', the client that fetches the token.", nameof(builder));
        }

        builder.Services.AddSalesforceJwtCore();
        builder.Services.AddSingleton(new SalesforceClientName(builder.Name));
        return builder
            .ConfigureHttpClient(client => client.BaseAddress ??= SalesforceJwtDefaults.InstanceBaseAddress)
            .ConfigureHttpClient((sp, client) => SalesforceClientRegistry.Register(client, connectionName, sp.GetRequiredService<IOptionsMonitor<SalesforceJwtOptions>>()))
            .AddHttpMessageHandler(sp => new SalesforceJwtHandler(
                connectionName,
                sp.GetRequiredService<ISalesforceTokenProvider>(),
                sp.GetRequiredService<ISalesforceSessionClassifier>(),
                sp.GetRequiredService<IOptionsMonitor<SalesforceJwtOptions>>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<RejectedPaths>(),
                sp.GetRequiredService<SalesforceJwtTelemetry>(),
                sp.GetRequiredService<ILogger<SalesforceJwtHandler>>(),
                sp.GetRequiredService<ApiUsageObserver>(),
                RequestLogger(sp, builder.Name)));
    }

    private static void AddSalesforceJwtCore(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(SalesforceTokenClient)))
        {
            return;
        }

        services.AddLogging();
        services.AddMetrics();
        services.TryAddSingleton<SalesforceJwtTelemetry>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SalesforceTokenClient>();
        services.TryAddSingleton<ISalesforceTokenProvider, SalesforceTokenProvider>();
        services.TryAddSingleton<ISalesforceSessionTimeoutEstimator>(sp => sp.GetRequiredService<ISalesforceTokenProvider>() as ISalesforceSessionTimeoutEstimator ?? UnknownSessionTimeouts.Instance);
        services.TryAddSingleton<ISalesforceSessionClassifier, SessionExpiryClassifier>();
        services.TryAddSingleton<RejectedPaths>();

        // First in the list, so that it wraps every other filter and sees each Salesforce client's final handlers:
        // no redirects, and none of the factory's default logging, whose structured state carries header values.
        services.Insert(0, ServiceDescriptor.Singleton<IHttpMessageHandlerBuilderFilter, SalesforceClientFilter>());
        services.TryAddSingleton<ApiUsageObserver>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SalesforceJwtOptions>, SalesforceJwtOptionsAttributeValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SalesforceJwtOptions>, SalesforceJwtOptionsValidator>());

        // Transient failures of the token endpoint (network, 5xx, 429, slow answers) are retried with backoff and jitter
        // by the standard resilience pipeline, which users can reconfigure or replace with the usual APIs. Definite
        // OAuth errors are 400s, which it never retries. This is apart from the one-time replay of API requests.
        // A redirect would re-post the assertion to whatever host Location names: the filter also covers a primary
        // handler the user gives the token client (to add a proxy, say).
        services.AddSingleton(new SalesforceClientName(SalesforceJwtDefaults.TokenClientName));
        services.AddHttpClient(SalesforceJwtDefaults.TokenClientName)
#if NET5_0_OR_GREATER
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
#else
            .ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false })
#endif
            .UseHeaderFreeLogging()
            .AddStandardResilienceHandler();
    }

    /// <summary>
    /// Adds request logging that records no headers. The factory's default logging, which does, is removed from
    /// Salesforce clients by <see cref="SalesforceClientFilter"/>; loggers the user added are left alone.
    /// </summary>
    private static IHttpClientBuilder UseHeaderFreeLogging(this IHttpClientBuilder builder) =>
        builder.AddLogger(sp => new HeaderFreeHttpClientLogger(RequestLogger(sp, builder.Name)));

    /// <summary>The category of header-free request logs; Salesforce API clients write them from their handler.</summary>
    private static ILogger RequestLogger(IServiceProvider services, string clientName) =>
        services.GetRequiredService<ILoggerFactory>().CreateLogger($"System.Net.Http.HttpClient.{clientName}.SalesforceJwt");
}
