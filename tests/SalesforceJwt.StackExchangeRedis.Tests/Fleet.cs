using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using SalesforceJwt.StackExchangeRedis.Internal;
using SalesforceJwt.Tokens;
using StackExchange.Redis;

namespace SalesforceJwt.StackExchangeRedis.Tests;

/// <summary>
/// Instances of one app, each its own DI container as in its own pod, sharing a Redis and (through it) a Data
/// Protection key ring. Keys of each fleet are apart by a random prefix, so fleets may share one Redis.
/// </summary>
internal sealed class Fleet : IAsyncDisposable
{
    public const string Limits = "services/data/v62.0/limits";

    private readonly IConnectionMultiplexer _keyRing;

    private Fleet(IConnectionMultiplexer keyRing, string prefix, List<ServiceProvider> instances)
    {
        _keyRing = keyRing;
        Prefix = prefix;
        Instances = instances;
    }

    public string Prefix { get; }

    public List<ServiceProvider> Instances { get; }

    /// <param name="redis">The Redis address.</param>
    /// <param name="count">How many instances.</param>
    /// <param name="connections">Registers the app's Salesforce connections.</param>
    /// <param name="configure">Adjusts the Redis options.</param>
    public static async Task<Fleet> StartAsync(string redis, int count, Action<IServiceCollection> connections, Action<SalesforceJwtRedisOptions>? configure = null)
    {
        var prefix = "test-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant() + ":";
        var keyRingOptions = ConfigurationOptions.Parse(redis);
        keyRingOptions.AbortOnConnectFail = false;
        var keyRing = await ConnectionMultiplexer.ConnectAsync(keyRingOptions);
        var instances = new List<ServiceProvider>();
        for (var i = 0; i < count; i++)
        {
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddDataProtection().SetApplicationName(prefix).PersistKeysToStackExchangeRedis(keyRing, prefix + "DataProtection-Keys");

            // Half the instances register Redis first, half last: the order must not matter.
            if (i % 2 == 0)
            {
                AddRedis(services, redis, prefix, configure);
                connections(services);
            }
            else
            {
                connections(services);
                AddRedis(services, redis, prefix, configure);
            }

            var provider = services.BuildServiceProvider();

            // One after the other, so the first makes the key and the others read it from Redis: one key ring.
            provider.GetRequiredService<IDataProtectionProvider>().CreateProtector("warm-up").Protect([1]);
            instances.Add(provider);
        }

        return new Fleet(keyRing, prefix, instances);
    }

    private static void AddRedis(IServiceCollection services, string redis, string prefix, Action<SalesforceJwtRedisOptions>? configure) =>
        services.AddSalesforceJwtRedis(options =>
        {
            options.Configuration = redis;
            options.KeyPrefix = prefix;

            // Generous while cold (first connections, JIT); a stopped Redis fails at once whatever this is.
            options.OperationTimeout = TimeSpan.FromSeconds(10);
            configure?.Invoke(options);
        });

    public HttpClient Client(int instance, string name = SalesforceJwtDefaults.ClientName) =>
        Instances[instance].GetRequiredService<IHttpClientFactory>().CreateClient(name);

    public ISalesforceTokenProvider Tokens(int instance) => Instances[instance].GetRequiredService<ISalesforceTokenProvider>();

    public RedisSharedTokenStore Store(int instance) => (RedisSharedTokenStore)Instances[instance].GetRequiredService<SalesforceSharedTokenStore>();

    /// <summary>Sends <paramref name="perInstance"/> concurrent API requests on every instance and gives every status.</summary>
    public async Task<HttpStatusCode[]> GetConcurrentlyAsync(int perInstance, string name = SalesforceJwtDefaults.ClientName)
    {
        var ct = TestContext.Current.CancellationToken;
        var clients = Enumerable.Range(0, Instances.Count).Select(i => Client(i, name)).ToList();
        return await Task.WhenAll(clients.SelectMany(client => Enumerable.Range(0, perInstance).Select(_ => Task.Run(async () =>
        {
            using var response = await client.GetAsync(Limits, ct);
            return response.StatusCode;
        }, ct))));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in Instances)
        {
            await instance.DisposeAsync();
        }

        await _keyRing.DisposeAsync();
    }
}
