using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using SalesforceJwt.Tests.TestSupport;

namespace SalesforceJwt.Tests.Diagnostics;

public sealed class SalesforceJwtTelemetryTests : IDisposable
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly FakeOrgHarness _h = new(o => o.ReauthenticationPause = TimeSpan.FromMinutes(1));

    public void Dispose() => _h.Dispose();

    private MetricCollector<T> Collect<T>(string instrument)
        where T : struct => new(_h.Services.GetRequiredService<IMeterFactory>(), SalesforceJwtDefaults.MeterName, instrument);

    [Fact]
    public async Task Metrics_CountTokenRequestsReauthenticationsReplaysWaitsAndSessionAge()
    {
        using var requests = Collect<long>("salesforcejwt.token.requests");
        using var duration = Collect<double>("salesforcejwt.token.duration");
        using var reauth = Collect<long>("salesforcejwt.reauthentications");
        using var replays = Collect<long>("salesforcejwt.replays");
        using var waits = Collect<long>("salesforcejwt.token.shared_waits");
        using var age = Collect<double>("salesforcejwt.session.age");

        var cold = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => _h.Client.GetAsync("services/data/v62.0/limits", _ct)));
        Array.ForEach(cold, r => r.Dispose());
        _h.Clock.Advance(TimeSpan.FromHours(3));
        using (await _h.Client.PostAsJsonAsync("services/data/v62.0/sobjects/Account", new { Name = "x" }, _ct))
        {
        }

        Assert.Equal(2, requests.GetMeasurementSnapshot().Count);
        Assert.All(requests.GetMeasurementSnapshot(), m => Assert.Equal("success", m.Tags["outcome"]));
        Assert.Equal("127.0.0.1", requests.LastMeasurement!.Tags["server.address"]);
        Assert.Equal(2, duration.GetMeasurementSnapshot().Count);
        Assert.Equal("INVALID_SESSION_ID", Assert.Single(reauth.GetMeasurementSnapshot()).Tags["reason"]);
        Assert.Equal("succeeded", Assert.Single(replays.GetMeasurementSnapshot()).Tags["result"]);
        Assert.True(waits.GetMeasurementSnapshot().Sum(m => m.Value) >= 1);
        Assert.Equal(TimeSpan.FromHours(3).TotalSeconds, Assert.Single(age.GetMeasurementSnapshot()).Value);
    }

    [Fact]
    public async Task Metrics_FailedExchange_IsCountedWithItsCatalogueCode()
    {
        using var requests = Collect<long>("salesforcejwt.token.requests");
        _h.Integration.User.IsActive = false;

        await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => _h.Client.GetAsync("services/data/v62.0/limits", _ct));

        Assert.Equal("InactiveUser", Assert.Single(requests.GetMeasurementSnapshot()).Tags["outcome"]);
    }

    [Fact]
    public async Task Metrics_PauseIsCountedAndShownAsActive()
    {
        using var pauses = Collect<long>("salesforcejwt.pauses");
        using var active = Collect<int>("salesforcejwt.pauses.active");
        _h.Org.LoginRateLimitPerHour = 1;
        using (await _h.Client.GetAsync("services/data/v62.0/limits", _ct))
        {
        }

        _h.Org.ExpireAllSessions();
        await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => _h.Client.GetAsync("services/data/v62.0/limits", _ct));

        Assert.Equal("LoginRateExceeded", Assert.Single(pauses.GetMeasurementSnapshot()).Tags["reason"]);
        active.RecordObservableInstruments();
        Assert.Equal(1, active.LastMeasurement!.Value);
        _h.Clock.Advance(TimeSpan.FromMinutes(6));
        active.RecordObservableInstruments();
        Assert.Equal(0, active.LastMeasurement!.Value);
    }

    [Fact]
    public async Task Tracing_TokenAcquisition_IsAnActivityWithHostAndOutcome()
    {
        // Other tests run at the same time and trace too: only this test's trace counts.
        using var testSource = new ActivitySource("SalesforceJwt.Tests.Tracing");
        var activities = new System.Collections.Concurrent.ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SalesforceJwtDefaults.ActivitySourceName || source.Name == testSource.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        using (var root = testSource.StartActivity("test"))
        {
            using (await _h.Client.GetAsync("services/data/v62.0/limits", _ct))
            {
            }

            var acquire = Assert.Single(activities, a => a.OperationName == "SalesforceJwt.AcquireToken" && a.TraceId == root!.TraceId);
            Assert.Equal(SalesforceJwtDefaults.ClientName, acquire.GetTagItem("salesforcejwt.connection"));
            Assert.Equal("127.0.0.1", acquire.GetTagItem("server.address"));
            Assert.Equal("success", acquire.GetTagItem("salesforcejwt.outcome"));
            Assert.Equal(ActivityKind.Client, acquire.Kind);
        }
    }

    [Fact]
    public async Task Logs_OfAFullScenario_NeverContainATokenAnAssertionAKeyOrAPassword()
    {
        using (await _h.Client.GetAsync("services/data/v62.0/limits", _ct))
        {
        }

        var token = await _h.Tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, cancellationToken: _ct);
        _h.Org.ExpireAllSessions();
        using (await _h.Client.PostAsJsonAsync("services/data/v62.0/sobjects/Account", new { Name = "x" }, _ct))
        {
        }

        _h.Org.RestApiRefusesSessions = true;
        using (await _h.Client.GetAsync("services/data/v62.0/limits", _ct))
        {
        }

        _h.Integration.User.IsActive = false;
        _h.Org.ExpireAllSessions();
        _h.Org.RestApiRefusesSessions = false;
        await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => _h.Client.GetAsync("services/data/v62.0/limits", _ct));

        var fresh = _h.Org.ReceivedRequests.Where(r => r.Authorization is not null).Select(r => r.Authorization!["Bearer ".Length..]).Distinct().ToList();
        var assertions = _h.Org.ReceivedRequests.Where(r => r.Path == "/services/oauth2/token")
            .Select(r => Uri.UnescapeDataString(r.Body!.Split('&').Single(p => p.StartsWith("assertion=", StringComparison.Ordinal))["assertion=".Length..]))
            .ToList();
        using var rsa = _h.Integration.Certificate.GetRSAPrivateKey()!;
        var keyPem = rsa.ExportPkcs8PrivateKeyPem();
        var logs = _h.Logs.GetSnapshot();
        var everything = string.Join("\n", logs.Select(r => r.Message + " " + r.Exception + " " + string.Join(",", r.StructuredState ?? [])));

        Assert.True(logs.Count > 10);
        Assert.Contains(token.AccessToken, fresh);
        Assert.All(fresh, t => Assert.DoesNotContain(t, everything, StringComparison.Ordinal));
        Assert.All(fresh, t => Assert.DoesNotContain(t.Split('!')[1], everything, StringComparison.Ordinal));
        Assert.All(assertions, a => Assert.DoesNotContain(a.Split('.')[2], everything, StringComparison.Ordinal));
        Assert.All(assertions, a => Assert.DoesNotContain(a.Split('.')[1], everything, StringComparison.Ordinal));
        Assert.DoesNotContain(keyPem.Split('\n')[1], everything, StringComparison.Ordinal);
        Assert.Contains(logs, r => r.Id.Name == "SessionExpired");

        // HttpClientFactory's default request logging would have put the raw Authorization header in the state.
        Assert.Contains(logs, r => r.Id.Name == "HttpRequestCompleted" && r.Message.Contains("/services/data/v62.0/limits answered 200", StringComparison.Ordinal));
        Assert.Contains(logs, r => r.Id.Name == "TokenRequestFailed" && r.Message.Contains("InactiveUser", StringComparison.Ordinal));
    }
}
