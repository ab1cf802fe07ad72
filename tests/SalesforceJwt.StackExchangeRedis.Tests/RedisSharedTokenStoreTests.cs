using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SalesforceJwt.StackExchangeRedis.Internal;
using SalesforceJwt.Testing;
using SalesforceJwt.Tokens;
using StackExchange.Redis;

namespace SalesforceJwt.StackExchangeRedis.Tests;

/// <summary>A fleet of instances against a real redis-server and a fake org: what sharing one session costs and survives.</summary>
public sealed class RedisSharedTokenStoreTests
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task ColdFleet_FourInstancesTimes250ConcurrentRequests_OneTokenRequestInTotal()
    {
        await using var redis = await RedisServer.SharedAsync();
        using var org = FakeSalesforceOrg.Start();
        var integration = org.CreateIntegration();
        await using var fleet = await Fleet.StartAsync(redis.Address, 4, services => services.AddSalesforceJwt(integration.Configure));
        var hits = Collect(fleet, "salesforcejwt.shared_cache.hits");
        var fallbacks = Collect(fleet, "salesforcejwt.shared_cache.fallbacks");

        var statuses = await fleet.GetConcurrentlyAsync(250);

        Assert.Equal(1000, statuses.Length);
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(1, org.Counters.TokenRequests);
        Assert.Equal(3, Sum(hits));
        Assert.Equal(0, Sum(fallbacks));
        var tokens = await TokensAsync(fleet);
        Assert.Single(tokens.Distinct());
    }

    [Fact]
    public async Task SessionsExpiredAtTheOrg_100RequestsPerInstance_OneNewTokenRequestFleetWide_EveryInstanceOnTheNewToken()
    {
        await using var redis = await RedisServer.SharedAsync();
        using var org = FakeSalesforceOrg.Start();
        var integration = org.CreateIntegration();
        await using var fleet = await Fleet.StartAsync(redis.Address, 4, services => services.AddSalesforceJwt(integration.Configure));
        Assert.All(await fleet.GetConcurrentlyAsync(1), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(1, org.Counters.TokenRequests);
        var old = Assert.Single((await TokensAsync(fleet)).Distinct());

        org.ExpireAllSessions();
        var statuses = await fleet.GetConcurrentlyAsync(100);

        Assert.Equal(400, statuses.Length);
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(2, org.Counters.TokenRequests);
        var fresh = Assert.Single((await TokensAsync(fleet)).Distinct());
        Assert.NotEqual(old, fresh);
        Assert.Equal(fresh, Assert.Single(org.LiveSessions()));
    }

    [Fact]
    public async Task SessionAboutToEnd_RenewalAheadOfTheEnd_RunsOncePerFleet_TheOtherInstanceTakesTheNewToken()
    {
        await using var redis = await RedisServer.SharedAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var org = FakeSalesforceOrg.Start(new FakeSalesforceOrgOptions { TimeProvider = clock });
        var integration = org.CreateIntegration();
        await using var fleet = await StartWithTwoHourSessionsAsync(redis.Address, clock, integration);
        var hits = Collect(fleet, "salesforcejwt.shared_cache.hits");
        Assert.All(await fleet.GetConcurrentlyAsync(1), s => Assert.Equal(HttpStatusCode.OK, s));
        var old = Assert.Single((await TokensAsync(fleet)).Distinct());

        // 30 s before the predicted end, instance 0 renews in the background while still serving the old token.
        clock.Advance(TimeSpan.FromHours(2) - TimeSpan.FromSeconds(30));
        await GetOkAsync(fleet, 0);

        var renewed = await WaitForNewTokenAsync(fleet, 0, old);

        // Instance 1 predicts the same end; its renewal takes instance 0's token instead of logging in.
        await GetOkAsync(fleet, 1);

        Assert.Equal(renewed, await WaitForNewTokenAsync(fleet, 1, old));
        Assert.Equal(2, org.Counters.TokenRequests);
        Assert.Equal(2, Sum(hits));
    }

    [Fact]
    public async Task ActivityRecordedOnOneInstance_ReachesTheOthers_NoRenewalBeforeTheSessionReallyEnds()
    {
        await using var redis = await RedisServer.SharedAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var org = FakeSalesforceOrg.Start(new FakeSalesforceOrgOptions { TimeProvider = clock });
        var integration = org.CreateIntegration();
        await using var fleet = await StartWithTwoHourSessionsAsync(redis.Address, clock, integration);
        using var hits = new MetricCollector<long>(fleet.Instances[0].GetRequiredService<IMeterFactory>(), SalesforceJwtDefaults.MeterName, "salesforcejwt.shared_cache.hits");
        Assert.All(await fleet.GetConcurrentlyAsync(1), s => Assert.Equal(HttpStatusCode.OK, s));
        var old = Assert.Single((await TokensAsync(fleet)).Distinct());
        var issued = clock.GetUtcNow();
        var before = hits.GetMeasurementSnapshot().Count;

        // Past half the timeout, instance 1 is used: Salesforce moves the session's end to 3 h 01 min after issue.
        clock.Advance(TimeSpan.FromMinutes(61));
        await GetOkAsync(fleet, 1);

        await WaitForStoredActivityAsync(redis.Address, fleet, issued + TimeSpan.FromMinutes(61));

        // Instance 0 saw no use: 30 s before its own prediction it looks for a renewal and finds the later activity.
        clock.Advance(TimeSpan.FromMinutes(59.5));
        await GetOkAsync(fleet, 0);

        // Its background renewal took the stored token back with that activity, instead of logging in.
        await hits.WaitForMeasurementsAsync((int)before + 1, _ct).WaitAsync(TimeSpan.FromSeconds(30), _ct);

        // Past what instance 0 alone would have predicted: the same session still serves it, and nobody logged in again.
        clock.Advance(TimeSpan.FromMinutes(10));
        await GetOkAsync(fleet, 0);

        Assert.Equal(old, (await fleet.Tokens(0).GetTokenAsync(SalesforceJwtDefaults.ClientName, cancellationToken: _ct)).AccessToken);
        Assert.Equal(1, org.Counters.TokenRequests);
        Assert.Equal(0, org.Counters.UnauthorizedServed);
    }

    [Fact]
    public async Task TokenRejectedOnOneInstance_TheOtherDropsItOnTheNotice_AndTakesTheNewTokenWithoutA401OrALogin()
    {
        await using var redis = await RedisServer.SharedAsync();
        using var org = FakeSalesforceOrg.Start();
        var integration = org.CreateIntegration();
        await using var fleet = await Fleet.StartAsync(redis.Address, 2, services => services.AddSalesforceJwt(integration.Configure));
        Assert.All(await fleet.GetConcurrentlyAsync(1), s => Assert.Equal(HttpStatusCode.OK, s));
        var old = await fleet.Tokens(0).GetTokenAsync(SalesforceJwtDefaults.ClientName, cancellationToken: _ct);

        org.ExpireSession(old.AccessToken);
        var fresh = await fleet.Tokens(0).GetTokenAsync(SalesforceJwtDefaults.ClientName, new SalesforceTokenRequest { RejectedToken = old }, _ct);

        Assert.Equal(fresh.AccessToken, await WaitForNewTokenAsync(fleet, 1, old.AccessToken));
        Assert.Equal(2, org.Counters.TokenRequests);
        Assert.Equal(0, org.Counters.UnauthorizedServed);
        using var response = await fleet.Client(1).GetAsync(Fleet.Limits, _ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Store_ReplacesOnlyTheExpectedToken_AndOnlyTheOwnerReleasesTheLock()
    {
        await using var redis = await RedisServer.SharedAsync();
        using var org = FakeSalesforceOrg.Start();
        var integration = org.CreateIntegration();
        await using var fleet = await Fleet.StartAsync(redis.Address, 1, services => services.AddSalesforceJwt(integration.Configure));
        var store = fleet.Store(0);
        var entry = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        var now = DateTimeOffset.UtcNow;
        SalesforceSharedToken Shared(string accessToken) => new(new SalesforceToken(accessToken, new Uri("https://example.my.salesforce.com"), now), now);
        var first = Shared("00D!first");
        var second = Shared("00D!second");

        Assert.True(await store.ReplaceIfCurrentAsync(entry, null, first, TimeSpan.FromMinutes(1), _ct));
        Assert.False(await store.ReplaceIfCurrentAsync(entry, null, second, TimeSpan.FromMinutes(1), _ct));
        Assert.False(await store.ReplaceIfCurrentAsync(entry, second.Token, second, TimeSpan.FromMinutes(1), _ct));
        Assert.Equal("00D!first", (await store.GetAsync(entry, _ct))!.Token.AccessToken);
        Assert.True(await store.ReplaceIfCurrentAsync(entry, first.Token, second, TimeSpan.FromMinutes(1), _ct));
        Assert.Equal("00D!second", (await store.GetAsync(entry, _ct))!.Token.AccessToken);

        var owner = await store.TryAcquireLockAsync(entry, TimeSpan.FromMinutes(1), _ct);
        Assert.NotNull(owner);
        Assert.Null(await store.TryAcquireLockAsync(entry, TimeSpan.FromMinutes(1), _ct));
        await store.ReleaseLockAsync(entry, "not-the-owner", _ct);
        Assert.Null(await store.TryAcquireLockAsync(entry, TimeSpan.FromMinutes(1), _ct));
        await store.ReleaseLockAsync(entry, owner, _ct);
        Assert.NotNull(await store.TryAcquireLockAsync(entry, TimeSpan.FromMinutes(1), _ct));
    }

    [Fact]
    public async Task RedisStoppedMidRun_EveryRequestSucceeds_RestartedSharingResumes()
    {
        await using var redis = await RedisServer.OwnAsync();
        using var org = FakeSalesforceOrg.Start();
        var integration = org.CreateIntegration();
        await using var fleet = await Fleet.StartAsync(redis.Address, 2, services => services.AddSalesforceJwt(integration.Configure),
            options => options.OperationTimeout = TimeSpan.FromSeconds(1));
        var fallbacks = Collect(fleet, "salesforcejwt.shared_cache.fallbacks");
        Assert.All(await fleet.GetConcurrentlyAsync(50), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(1, org.Counters.TokenRequests);

        // Redis goes away, and so does the session: each instance logs in on its own, and no request fails.
        await redis.StopAsync();
        org.ExpireAllSessions();
        var during = await fleet.GetConcurrentlyAsync(50);
        Assert.All(during, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(3, org.Counters.TokenRequests);
        Assert.True(Sum(fallbacks) >= 2, $"fallbacks: {Sum(fallbacks)}");

        // Redis returns (empty): once the instances have reconnected, the next session end costs one login again.
        await redis.RestartAsync();
        for (var i = 0; i < fleet.Instances.Count; i++)
        {
            await WaitConnectedAsync(await fleet.Store(i).Connection!);
        }

        org.ExpireAllSessions();
        var after = await fleet.GetConcurrentlyAsync(50);
        Assert.All(after, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(4, org.Counters.TokenRequests);
        Assert.Single((await TokensAsync(fleet)).Distinct());
    }

    [Fact]
    public async Task EveryKeyAndValueInRedis_Dumped_HoldsNoAccessTokenNoUsernameNoConsumerKey()
    {
        await using var redis = await RedisServer.SharedAsync();
        using var org = FakeSalesforceOrg.Start();
        var integration = org.CreateIntegration("Fleet.User@Example.com");
        await using var fleet = await Fleet.StartAsync(redis.Address, 2, services => services.AddSalesforceJwt(integration.Configure));
        Assert.All(await fleet.GetConcurrentlyAsync(10), s => Assert.Equal(HttpStatusCode.OK, s));
        var token = Assert.Single((await TokensAsync(fleet)).Distinct());

        var dump = await DumpAsync(redis.Address);

        var ours = dump.Where(d => d.Key.StartsWith(fleet.Prefix + "token:", StringComparison.Ordinal)).ToList();
        var entry = Assert.Single(ours.Select(d => d.Key).Distinct());
        Assert.Matches("^" + fleet.Prefix + "token:[0-9a-f]{64}$", entry);
        foreach (var (key, value) in dump)
        {
            foreach (var text in new[] { key, Encoding.UTF8.GetString(value), Encoding.Latin1.GetString(value) })
            {
                Assert.DoesNotContain(token, text, StringComparison.Ordinal);
                Assert.DoesNotContain(integration.Username, text, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(integration.ConsumerKey, text, StringComparison.OrdinalIgnoreCase);
            }
        }

        // What is there is the token, encrypted: the fleet's key ring opens it.
        using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Address);
        var stored = (byte[])(await connection.GetDatabase().HashGetAsync(entry, "v"))!;
        var protector = fleet.Instances[0].GetRequiredService<IDataProtectionProvider>().CreateProtector(RedisSharedTokenStore.ProtectionPurpose);
        Assert.Equal(token, SharedTokenSerializer.Deserialize(protector.Unprotect(stored)).Token.AccessToken);
    }

    [Fact]
    public async Task TwoUsersAndTwoOrgs_NeverShareAnEntry_EachLogsInOnceFleetWide()
    {
        await using var redis = await RedisServer.SharedAsync();
        using var orgA = FakeSalesforceOrg.Start();
        using var orgB = FakeSalesforceOrg.Start();
        var a = orgA.CreateIntegration();
        var b = orgB.CreateIntegration();
        var second = orgA.AddUser("second@example.com", a.App);
        Assert.Equal(a.Username, b.Username);
        await using var fleet = await Fleet.StartAsync(redis.Address, 2, services =>
        {
            services.AddSalesforceJwt("OrgA", a.Configure);
            services.AddSalesforceJwt("OrgB", b.Configure);
        });

        var perInstance = new List<string[]>();
        for (var i = 0; i < fleet.Instances.Count; i++)
        {
            var tokens = fleet.Tokens(i);
            perInstance.Add(
            [
                (await tokens.GetTokenAsync("OrgA", cancellationToken: _ct)).AccessToken,
                (await tokens.GetTokenAsync("OrgA", new SalesforceTokenRequest { Username = second.Username }, _ct)).AccessToken,
                (await tokens.GetTokenAsync("OrgB", cancellationToken: _ct)).AccessToken,
            ]);
        }

        Assert.Equal(perInstance[0], perInstance[1]);
        Assert.Equal(3, perInstance[0].Distinct().Count());
        Assert.Equal(2, orgA.Counters.TokenRequests);
        Assert.Equal(1, orgB.Counters.TokenRequests);
        Assert.Equal(1, orgA.Counters.LoginsByUser[second.Username]);
        var entries = (await DumpAsync(redis.Address)).Select(d => d.Key).Where(k => k.StartsWith(fleet.Prefix + "token:", StringComparison.Ordinal)).Distinct();
        Assert.Equal(3, entries.Count());
    }

    [Fact]
    public async Task NoDataProtectionRegistered_FirstUse_FailsWithTheLinesToAdd()
    {
        using var org = FakeSalesforceOrg.Start();
        var integration = org.CreateIntegration();
        var services = new ServiceCollection();
        services.AddSalesforceJwtRedis("127.0.0.1:1");
        services.AddSalesforceJwt(integration.Configure);
        await using var provider = services.BuildServiceProvider();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
            await provider.GetRequiredService<ISalesforceTokenProvider>().GetTokenAsync(SalesforceJwtDefaults.ClientName, cancellationToken: _ct));

        Assert.Contains("services.AddDataProtection()", ex.Message, StringComparison.Ordinal);
        Assert.Contains(".PersistKeysToStackExchangeRedis(", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ProtectTokens = false", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, org.Counters.TokenRequests);
    }

    [Fact]
    public async Task ProtectTokensOff_FleetStillShares_AndRedisHoldsThePlainToken()
    {
        await using var redis = await RedisServer.SharedAsync();
        using var org = FakeSalesforceOrg.Start();
        var integration = org.CreateIntegration();
        await using var fleet = await Fleet.StartAsync(redis.Address, 2, services => services.AddSalesforceJwt(integration.Configure),
            options => options.ProtectTokens = false);

        Assert.All(await fleet.GetConcurrentlyAsync(20), s => Assert.Equal(HttpStatusCode.OK, s));

        Assert.Equal(1, org.Counters.TokenRequests);
        var token = Assert.Single((await TokensAsync(fleet)).Distinct());
        var stored = (await DumpAsync(redis.Address)).Where(d => d.Key.StartsWith(fleet.Prefix + "token:", StringComparison.Ordinal)).Select(d => Encoding.UTF8.GetString(d.Value));
        Assert.Contains(stored, v => v.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RedisUnreachableFromTheStart_RequestsSucceedOnTheirOwnTokens_WithAFallbackCounted()
    {
        using var org = FakeSalesforceOrg.Start();
        var integration = org.CreateIntegration();
        var services = new ServiceCollection();
        services.AddSalesforceJwt(integration.Configure);
        services.AddSalesforceJwtRedis(options =>
        {
            options.Configuration = "127.0.0.1:1";
            options.ProtectTokens = false;
            options.OperationTimeout = TimeSpan.FromMilliseconds(500);
        });
        await using var provider = services.BuildServiceProvider();
        using var fallbacks = new MetricCollector<long>(provider.GetRequiredService<IMeterFactory>(), SalesforceJwtDefaults.MeterName, "salesforcejwt.shared_cache.fallbacks");
        var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient(SalesforceJwtDefaults.ClientName);

        using var response = await client.GetAsync(Fleet.Limits, _ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, org.Counters.TokenRequests);
        Assert.True(fallbacks.GetMeasurementSnapshot().Sum(m => m.Value) >= 1);
    }

    [Fact]
    public async Task StoreThatNeverAnswers_EveryCallBoundedByItsTimeout_RequestsSucceedOnTheirOwnTokens()
    {
        using var org = FakeSalesforceOrg.Start();
        var integration = org.CreateIntegration();
        var services = new ServiceCollection();
        var store = new HangingStore();
        services.AddSingleton<SalesforceSharedTokenStore>(store);
        services.AddSalesforceJwt(integration.Configure);
        await using var provider = services.BuildServiceProvider();
        using var fallbacks = new MetricCollector<long>(provider.GetRequiredService<IMeterFactory>(), SalesforceJwtDefaults.MeterName, "salesforcejwt.shared_cache.fallbacks");
        var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient(SalesforceJwtDefaults.ClientName);

        var statuses = await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
        {
            using var response = await client.GetAsync(Fleet.Limits, _ct);
            return response.StatusCode;
        }));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(1, org.Counters.TokenRequests);
        var fallback = Assert.Single(fallbacks.GetMeasurementSnapshot());
        Assert.Equal("timeout", fallback.Tags["reason"]);
        Assert.Equal(1, store.Calls);
    }

    /// <summary>A store that takes every call and never answers, as a Redis behind a dead network path would.</summary>
    private sealed class HangingStore : SalesforceSharedTokenStore
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public override TimeSpan OperationTimeout => TimeSpan.FromMilliseconds(200);

        public override async ValueTask<SalesforceSharedToken?> GetAsync(string entryId, CancellationToken cancellationToken = default) =>
            await HangAsync<SalesforceSharedToken?>();

        public override async ValueTask<string?> TryAcquireLockAsync(string entryId, TimeSpan lease, CancellationToken cancellationToken = default) =>
            await HangAsync<string?>();

        public override async ValueTask ReleaseLockAsync(string entryId, string ownerToken, CancellationToken cancellationToken = default) =>
            await HangAsync<bool>();

        public override async ValueTask<bool> ReplaceIfCurrentAsync(string entryId, SalesforceToken? expected, SalesforceSharedToken replacement, TimeSpan timeToLive, CancellationToken cancellationToken = default) =>
            await HangAsync<bool>();

        private Task<T> HangAsync<T>()
        {
            Interlocked.Increment(ref _calls);
            return new TaskCompletionSource<T>().Task;
        }
    }

    /// <summary>Two instances on one fake clock, the connection's session timeout configured as 2 h.</summary>
    private static Task<Fleet> StartWithTwoHourSessionsAsync(string redis, FakeTimeProvider clock, FakeIntegration integration) =>
        Fleet.StartAsync(redis, 2, services =>
        {
            services.AddSingleton<TimeProvider>(clock);
            services.AddSalesforceJwt(options =>
            {
                integration.Configure(options);
                options.SessionTimeout = TimeSpan.FromHours(2);
            });
        });

    private async Task GetOkAsync(Fleet fleet, int instance)
    {
        using var response = await fleet.Client(instance).GetAsync(Fleet.Limits, _ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<List<string>> TokensAsync(Fleet fleet)
    {
        var tokens = new List<string>();
        for (var i = 0; i < fleet.Instances.Count; i++)
        {
            tokens.Add((await fleet.Tokens(i).GetTokenAsync(SalesforceJwtDefaults.ClientName, cancellationToken: _ct)).AccessToken);
        }

        return tokens;
    }

    /// <summary>Waits (bounded) until the instance hands out a token other than <paramref name="old"/>, as its background renewal ends.</summary>
    private async Task<string> WaitForNewTokenAsync(Fleet fleet, int instance, string old)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            var token = (await fleet.Tokens(instance).GetTokenAsync(SalesforceJwtDefaults.ClientName, cancellationToken: _ct)).AccessToken;
            if (token != old)
            {
                return token;
            }

            await Task.Yield();
        }

        Assert.Fail($"Instance {instance} still hands out the old token.");
        return old;
    }

    /// <summary>Waits (bounded, on Redis round trips) until the fleet's shared entry carries <paramref name="activity"/>.</summary>
    private static async Task WaitForStoredActivityAsync(string address, Fleet fleet, DateTimeOffset activity)
    {
        using var connection = await ConnectionMultiplexer.ConnectAsync(address);
        var protector = fleet.Instances[0].GetRequiredService<IDataProtectionProvider>().CreateProtector(RedisSharedTokenStore.ProtectionPurpose);
        var key = Assert.Single((await DumpAsync(address)).Select(d => d.Key).Where(k => k.StartsWith(fleet.Prefix + "token:", StringComparison.Ordinal)).Distinct());
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            var stored = (byte[])(await connection.GetDatabase().HashGetAsync(key, "v"))!;
            if (SharedTokenSerializer.Deserialize(protector.Unprotect(stored)).LastRecordedActivity >= activity)
            {
                return;
            }

            await connection.GetDatabase().PingAsync();
        }

        Assert.Fail("The activity recorded on one instance never reached Redis.");
    }

    private static List<MetricCollector<long>> Collect(Fleet fleet, string instrument) =>
        fleet.Instances.Select(sp => new MetricCollector<long>(sp.GetRequiredService<IMeterFactory>(), SalesforceJwtDefaults.MeterName, instrument)).ToList();

    private static long Sum(List<MetricCollector<long>> collectors) => collectors.Sum(c => c.GetMeasurementSnapshot().Sum(m => m.Value));

    /// <summary>Every key of the server with every value it holds, whatever its type.</summary>
    private static async Task<List<(string Key, byte[] Value)>> DumpAsync(string address)
    {
        var options = ConfigurationOptions.Parse(address);
        options.AllowAdmin = true;
        await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
        var database = connection.GetDatabase();
        var dump = new List<(string, byte[])>();
        await foreach (var key in connection.GetServer(connection.GetEndPoints()[0]).KeysAsync(pattern: "*"))
        {
            var name = key.ToString();
            IEnumerable<RedisValue> values = await database.KeyTypeAsync(key) switch
            {
                RedisType.String => [await database.StringGetAsync(key)],
                RedisType.Hash => (await database.HashGetAllAsync(key)).SelectMany(e => new[] { e.Name, e.Value }),
                RedisType.List => await database.ListRangeAsync(key),
                RedisType.Set => await database.SetMembersAsync(key),
                RedisType.SortedSet => await database.SortedSetRangeByRankAsync(key),
                _ => [],
            };
            dump.Add((name, []));
            dump.AddRange(values.Select(v => (name, (byte[])v!)));
        }

        return dump;
    }

    /// <summary>Waits for a connection to come back after its Redis restarted, on its own event, bounded.</summary>
    private async Task WaitConnectedAsync(IConnectionMultiplexer connection)
    {
        for (var attempt = 0; attempt < 10 && !connection.IsConnected; attempt++)
        {
            var restored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void OnRestored(object? sender, ConnectionFailedEventArgs e) => restored.TrySetResult();
            connection.ConnectionRestored += OnRestored;
            try
            {
                if (!connection.IsConnected)
                {
                    await restored.Task.WaitAsync(TimeSpan.FromSeconds(30), _ct);
                }
            }
            finally
            {
                connection.ConnectionRestored -= OnRestored;
            }
        }

        Assert.True(connection.IsConnected);
    }
}
