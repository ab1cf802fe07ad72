using System.Diagnostics.Metrics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Http.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using SalesforceJwt.Testing;
using SalesforceJwt.Tests.TestSupport;
using SalesforceJwt.Tokens;
using SalesforceJwt.Tokens.Internal;

namespace SalesforceJwt.Tests.Tokens;

/// <summary>The lifecycle as a deployment lives it: a token endpoint that blips, configuration that reloads, keys that rotate.</summary>
public sealed partial class TokenLifecycleTests
{
    [Fact]
    public async Task RenewalInsideTheMargin_EndpointFailsThenHangs_EveryRequestSucceedsOnTheOldToken_AndNoneWaits()
    {
        using var h = new FakeOrgHarness(o => o.SessionTimeout = TimeSpan.FromHours(2));
        var meters = h.Services.GetRequiredService<IMeterFactory>();
        using var sharedWaits = new MetricCollector<long>(meters, SalesforceJwtDefaults.MeterName, "salesforcejwt.token.shared_waits");
        using var renewalFailures = new MetricCollector<long>(meters, SalesforceJwtDefaults.MeterName, "salesforcejwt.renewal.failures");
        using var exchanges = new MetricCollector<long>(meters, SalesforceJwtDefaults.MeterName, "salesforcejwt.token.requests");
        Assert.Equal(HttpStatusCode.OK, await GetAsync(h));
        var first = await h.Tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, cancellationToken: _ct);

        // 30 s before the predicted end: the next request starts a renewal, which meets four 503s and then a hang.
        h.Clock.Advance(TimeSpan.FromHours(2) - TimeSpan.FromSeconds(30));
        h.Org.InjectTokenFaults(FakeTokenFault.ServiceUnavailable, 4);
        h.Org.InjectTokenFaults(FakeTokenFault.Delay, 1, TimeSpan.FromSeconds(8));
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 500; i++)
        {
            statuses.Add(await GetAsync(h));
        }

        // The first renewal has failed and its backoff is set.
        await renewalFailures.WaitForMeasurementsAsync(1, _ct);
        h.Clock.Advance(TimeSpan.FromSeconds(5));
        for (var i = 0; i < 500; i++)
        {
            statuses.Add(await GetAsync(h));
        }

        while (h.Org.DelayedTokenRequests == 0)
        {
            await Task.Yield();
        }

        // The hang ends: the second renewal (the third exchange) completes, and its token replaces the old one.
        h.Clock.Advance(TimeSpan.FromSeconds(8));
        await exchanges.WaitForMeasurementsAsync(3, _ct);
        while ((await h.Tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, cancellationToken: _ct)).AccessToken == first.AccessToken)
        {
            await Task.Yield();
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(1000, statuses.Count);
        Assert.Equal(0, sharedWaits.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(2, h.Org.Counters.TokensIssued);
        Assert.Equal(HttpStatusCode.OK, await GetAsync(h));
        Assert.Equal(h.Org.AuthorizationHeaders[^1], "Bearer " + (await h.Tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, cancellationToken: _ct)).AccessToken);
    }

    [Fact]
    public async Task ConfigurationReload_NothingAboutTheTokenChanged_ZeroLogins_ThenANewKeyPath_OneLoginWithTheNewKey_OldKeyDisposed()
    {
        using var dir = new TempDirectory();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero));
        using var org = FakeSalesforceOrg.Start(new FakeSalesforceOrgOptions { TimeProvider = clock });
        var integration = org.CreateIntegration();
        var config = new ConfigurationManager();
        config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Salesforce:ConsumerKey"] = integration.ConsumerKey,
            ["Salesforce:Username"] = integration.Username,
            ["Salesforce:LoginUrl"] = integration.LoginUrl.ToString(),
            ["Salesforce:PrivateKeyPath"] = WriteKey(dir, "old.pem", integration.Certificate),
            ["Logging:LogLevel:Default"] = "Warning",
        });
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSalesforceJwt(config.GetSection("Salesforce"));
        using var provider = services.BuildServiceProvider();
        var client = provider.Client();
        var tokens = (SalesforceTokenProvider)provider.GetRequiredService<ISalesforceTokenProvider>();

        for (var i = 0; i < 100; i++)
        {
            using var response = await client.GetAsync(Limits, _ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            if (i == 50)
            {
                // An unrelated edit of appsettings.json, and one of this connection that does not touch its tokens.
                config["Logging:LogLevel:Default"] = "Information";
                config["Salesforce:ReauthenticationPause"] = "00:02:00";
                ((IConfigurationRoot)config).Reload();
            }
        }

        Assert.Equal(1, org.Counters.TokenRequests);
        Assert.Equal(TimeSpan.FromMinutes(2), tokens.FindConnection(SalesforceJwtDefaults.ClientName)!.Options.ReauthenticationPause);

        using var oldKey = tokens.FindConnection(SalesforceJwtDefaults.ClientName)!.Key.Acquire();
        oldKey.Dispose();
        using var rotated = TestCertificate.Create();
        integration.App.Certificate = rotated;
        config["Salesforce:PrivateKeyPath"] = WriteKey(dir, "new.pem", rotated);
        ((IConfigurationRoot)config).Reload();

        using (var response = await client.GetAsync(Limits, _ct))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(2, org.Counters.TokenRequests);
        Assert.Equal(2, org.Counters.TokensIssued);
        Assert.True(oldKey.IsDisposed);
    }

    [Fact]
    public async Task KeyFileReplacedInPlace_WhileTheAppGetsTheNewCertificate_NextSessionEnd_OneLogin_NoRestart()
    {
        using var dir = new TempDirectory();
        using var h = new FakeOrgHarness();
        var keyPath = WriteKey(dir, "key.pem", h.Integration.Certificate);
        using var h2 = HarnessWithKeyFile(h, keyPath);
        Assert.Equal(HttpStatusCode.OK, await GetAsync(h2.Harness));

        using var rotated = TestCertificate.Create();
        WriteKey(dir, "key.pem", rotated);
        File.SetLastWriteTimeUtc(keyPath, DateTime.UtcNow.AddMinutes(1));
        h.Integration.App.Certificate = rotated;
        h.Org.ExpireAllSessions();

        Assert.Equal(HttpStatusCode.OK, await GetAsync(h2.Harness));
        Assert.Equal(2, h.Org.Counters.TokenRequests);
        Assert.Contains(h2.Logs.GetSnapshot(), r => r.Id.Name == "KeyReloaded");
    }

    [Fact]
    public async Task KeyFileReplacedWithSomethingUnreadable_ThePreviousKeyKeepsWorking_AndTheReasonIsLogged()
    {
        using var dir = new TempDirectory();
        using var h = new FakeOrgHarness();
        var keyPath = WriteKey(dir, "key.pem", h.Integration.Certificate);
        using var h2 = HarnessWithKeyFile(h, keyPath);
        Assert.Equal(HttpStatusCode.OK, await GetAsync(h2.Harness));

        File.WriteAllText(keyPath, "-----BEGIN PRIVATE KEY-----\nhalf-written\n");
        h.Org.ExpireAllSessions();

        Assert.Equal(HttpStatusCode.OK, await GetAsync(h2.Harness));
        Assert.Equal(2, h.Org.Counters.TokensIssued);
        Assert.Contains(h2.Harness.Logs.GetSnapshot(), r => r.Id.Name == "KeyReloadFailed");
    }

    [Fact]
    public async Task SynchronousSend_IsAuthenticatedAndReplayed_NeverSentWithoutItsToken()
    {
        using var h = new FakeOrgHarness();

        using (var response = h.Client.Send(new HttpRequestMessage(HttpMethod.Get, Limits), _ct))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        h.Org.ExpireAllSessions();
        using (var replayed = h.Client.Send(new HttpRequestMessage(HttpMethod.Get, Limits), _ct))
        {
            Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        }

        Assert.Equal(2, h.Org.Counters.TokenRequests);
        Assert.All(h.Org.AuthorizationHeaders, header => Assert.StartsWith("Bearer 00D", header, StringComparison.Ordinal));
        Assert.Equal(3, h.Org.AuthorizationHeaders.Count);
    }

    [Fact]
    public async Task UsersOwnLogger_AddedBeforeAddSalesforceJwt_IsCalled_AndNoLogAtAnyLevelCarriesTheToken()
    {
        var mine = new CountingHttpClientLogger();
        using var h = new FakeOrgHarness(client: builder => builder.AddLogger(_ => mine));
        var services = new ServiceCollection();
        var logs = new FakeLogCollector();
        services.AddSingleton<TimeProvider>(h.Clock);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs)));
        var own = new CountingHttpClientLogger();
        services.AddHttpClient("mine").AddLogger(_ => own).AddSalesforceJwt(h.Integration.Configure);
        using var provider = services.BuildServiceProvider();

        Assert.Equal(HttpStatusCode.OK, await GetAsync(h));
        using (var response = await provider.Client("mine").GetAsync(Limits, _ct))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(1, mine.Completed);
        Assert.Equal(1, own.Completed);
        foreach (var (collector, tokens) in new[] { (h.Logs, h.Tokens), (logs, provider.GetRequiredService<ISalesforceTokenProvider>()) })
        {
            var secret = (await tokens.GetTokenAsync(collector == logs ? "mine" : SalesforceJwtDefaults.ClientName, cancellationToken: _ct)).AccessToken;
            var records = collector.GetSnapshot();
            Assert.NotEmpty(records);
            Assert.All(records, r =>
            {
                Assert.DoesNotContain(secret, r.Message, StringComparison.Ordinal);
                Assert.DoesNotContain(secret[(secret.IndexOf('!', StringComparison.Ordinal) + 1)..], r.Message, StringComparison.Ordinal);
                Assert.All(r.StructuredState ?? [], kv => Assert.DoesNotContain(secret, kv.Value ?? "", StringComparison.Ordinal));
            });
        }
    }

    [Fact]
    public async Task HundredThousandDistinctUsers_CachedEntriesStayAtTheCap()
    {
        const int Users = 100_000;
        const int Cap = 1_000;
        var wire = new TokenEndpoint();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSalesforceJwt(o =>
        {
            o.ConsumerKey = "k";
            o.Username = "u@example.com";

            // The in-memory token endpoint checks no signature; a fixed one keeps 100,000 logins fast.
            o.Signer = new FixedSigner();
            o.MaxCachedUsers = Cap;
            o.MaxLoginsPerHour = 3600;
        });
        services.AddHttpClient(SalesforceJwtDefaults.TokenClientName).ConfigurePrimaryHttpMessageHandler(() => wire);
        using var provider = services.BuildServiceProvider();
        var tokens = (SalesforceTokenProvider)provider.GetRequiredService<ISalesforceTokenProvider>();

        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var largest = 0;
        for (var i = 0; i < Users; i++)
        {
            await tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, new SalesforceTokenRequest { Username = $"user{i}@example.com" }, _ct);
            clock.Advance(TimeSpan.FromMilliseconds(10));
            largest = Math.Max(largest, tokens.FindConnection(SalesforceJwtDefaults.ClientName)!.Entries.Count);
        }

        Assert.Equal(Cap, largest);
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        TestContext.Current.TestOutputHelper?.WriteLine($"{Users} users, cap {Cap}: managed heap {heapBefore / 1024} KiB before, {heapAfter / 1024} KiB after");

        // The most recent users are still cached: asking again costs nothing.
        await tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, new SalesforceTokenRequest { Username = $"user{Users - 1}@example.com" }, _ct);
        Assert.Equal(Users, wire.Issued);

        // A day later every entry is idle, and the next new user clears them out.
        clock.Advance(TimeSpan.FromHours(25));
        for (var i = 0; i < Cap + 1; i++)
        {
            await tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, new SalesforceTokenRequest { Username = $"later{i}@example.com" }, _ct);
        }

        Assert.True(tokens.FindConnection(SalesforceJwtDefaults.ClientName)!.Entries.Count <= Cap);
    }

    private static string WriteKey(TempDirectory dir, string name, X509Certificate2 certificate)
    {
        using var key = certificate.GetRSAPrivateKey()!;
        var path = Path.Combine(dir.Path, name);
        File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem());
        return path;
    }

    private static KeyFileHarness HarnessWithKeyFile(FakeOrgHarness h, string keyPath) => new(h, keyPath);

    /// <summary>A second DI graph over the same fake org and clock whose connection reads its key from a file.</summary>
    private sealed class KeyFileHarness : IDisposable
    {
        private readonly ServiceProvider _services;

        public KeyFileHarness(FakeOrgHarness h, string keyPath)
        {
            var services = new ServiceCollection();
            services.AddSingleton<TimeProvider>(h.Clock);
            services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(Logs)));
            services.AddSalesforceJwt(o =>
            {
                o.ConsumerKey = h.Integration.ConsumerKey;
                o.Username = h.Integration.Username;
                o.LoginUrl = h.Integration.LoginUrl;
                o.PrivateKeyPath = keyPath;
            });
            _services = services.BuildServiceProvider();
            Harness = new View(_services, h, Logs);
        }

        public FakeLogCollector Logs { get; } = new();

        public View Harness { get; }

        public void Dispose() => _services.Dispose();

        internal sealed record View(ServiceProvider Services, FakeOrgHarness Org, FakeLogCollector Logs)
        {
            public HttpClient Client => Services.Client();
        }
    }

    private async Task<HttpStatusCode> GetAsync(KeyFileHarness.View h)
    {
        using var response = await h.Client.GetAsync(Limits, _ct);
        return response.StatusCode;
    }

    /// <summary>An in-memory token endpoint that keeps nothing of what it was sent, so the heap shows the library's own state.</summary>
    private sealed class TokenEndpoint : HttpMessageHandler
    {
        private int _issued;

        public int Issued => Volatile.Read(ref _issued);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent($$"""{"access_token":"00DFK0000000001!u{{Interlocked.Increment(ref _issued)}}","instance_url":"https://acme.my.salesforce.com"}"""),
            });
    }

    private sealed class FixedSigner : ISalesforceAssertionSigner
    {
        public ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> signingInput, CancellationToken cancellationToken) => new(new byte[256]);
    }

    private sealed class CountingHttpClientLogger : IHttpClientLogger
    {
        private int _completed;

        public int Completed => Volatile.Read(ref _completed);

        public object? LogRequestStart(HttpRequestMessage request) => null;

        public void LogRequestStop(object? context, HttpRequestMessage request, HttpResponseMessage response, TimeSpan elapsed) => Interlocked.Increment(ref _completed);

        public void LogRequestFailed(object? context, HttpRequestMessage request, HttpResponseMessage? response, Exception exception, TimeSpan elapsed)
        {
        }
    }
}
