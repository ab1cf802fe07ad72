using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SalesforceJwt.Internal;
using SalesforceJwt.StackExchangeRedis;
using SalesforceJwt.StackExchangeRedis.Internal;
using SalesforceJwt.Tokens;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Makes every Salesforce connection of the app share its tokens with the app's other instances through Redis.</summary>
public static class SalesforceJwtRedisServiceCollectionExtensions
{
    /// <summary>
    /// Shares every connection's tokens through the Redis at <paramref name="configuration"/>. Call it before or after
    /// <c>AddSalesforceJwt</c>; register Data Protection with a key ring all instances share, or set
    /// <see cref="SalesforceJwtRedisOptions.ProtectTokens"/> to <see langword="false"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">A StackExchange.Redis configuration string, such as <c>"127.0.0.1:6379"</c>.</param>
    /// <returns>The service collection, to chain calls.</returns>
    public static IServiceCollection AddSalesforceJwtRedis(this IServiceCollection services, string configuration)
    {
        Guard.NotNull(services);
        Guard.NotNullOrWhiteSpace(configuration);
        return services.AddSalesforceJwtRedis(options => options.Configuration = configuration);
    }

    /// <summary>Shares every connection's tokens through Redis, configured in code (a configuration string or an existing connection, key prefix, timeouts).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The service collection, to chain calls.</returns>
    public static IServiceCollection AddSalesforceJwtRedis(this IServiceCollection services, Action<SalesforceJwtRedisOptions> configure)
    {
        Guard.NotNull(services);
        Guard.NotNull(configure);
        services.AddOptions<SalesforceJwtRedisOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SalesforceJwtRedisOptions>, SalesforceJwtRedisOptionsValidator>());
        services.TryAddSingleton<SalesforceSharedTokenStore, RedisSharedTokenStore>();
        return services;
    }
}
