using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using SalesforceJwt.Http.Internal;
using SalesforceJwt.Rest;
using SalesforceJwt.Tests.TestSupport;

namespace SalesforceJwt.Tests.Rest;

public sealed class ApiUsageObserverTests : IDisposable
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly FakeOrgHarness _h = new(o => o.ApiUsageWarningThreshold = 0.5);

    public void Dispose() => _h.Dispose();

    private MetricCollector<long> Collect(string instrument) =>
        new(_h.Services.GetRequiredService<IMeterFactory>(), SalesforceJwtDefaults.MeterName, instrument);

    [Fact]
    public async Task EveryResponse_ReportsUsedAndLimit_ByConnection()
    {
        using var used = Collect("salesforcejwt.api.requests.used");
        using var limit = Collect("salesforcejwt.api.requests.limit");
        _h.Org.DailyApiRequestLimit = 5000;

        await _h.Client.GetApiVersionsAsync(_ct);
        for (var i = 0; i < 2; i++)
        {
            using var response = await _h.Client.GetAsync("services/data/v62.0/limits", _ct);
            used.RecordObservableInstruments();
        }

        limit.RecordObservableInstruments();
        Assert.Equal([1L, 2L], used.GetMeasurementSnapshot().Select(m => m.Value));
        Assert.Equal(5000, limit.LastMeasurement!.Value);
        Assert.Equal(SalesforceJwtDefaults.ClientName, used.LastMeasurement!.Tags["connection"]);
    }

    [Fact]
    public async Task CrossingTheThreshold_LogsOneWarning_UntilUsageDropsBelowAgain()
    {
        _h.Org.DailyApiRequestLimit = 10;

        for (var i = 0; i < 8; i++)
        {
            using var response = await _h.Client.GetAsync("services/data/v62.0/limits", _ct);
        }

        var warnings = _h.Logs.GetSnapshot().Where(r => r.Id.Id == 300).ToList();
        var warning = Assert.Single(warnings);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("5 of 10", warning.Message, StringComparison.Ordinal);
        Assert.Contains("50", warning.Message, StringComparison.Ordinal);

        _h.Clock.Advance(TimeSpan.FromHours(25));
        using (await _h.Client.GetAsync("services/data/v62.0/limits", _ct))
        {
        }

        Assert.Single(_h.Logs.GetSnapshot(), r => r.Id.Id == 301);
    }

    [Fact]
    public void Observe_OnEveryResponse_AllocatesNothingOnceWarm()
    {
        var observer = _h.Services.GetRequiredService<ApiUsageObserver>();
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("Sforce-Limit-Info", "per-app-api-usage=17/250(appName=sample-app), api-usage=18/5000");
        observer.Observe(SalesforceJwtDefaults.ClientName, response);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            observer.Observe(SalesforceJwtDefaults.ClientName, response);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData("api-usage=18/5000", 18, 5000)]
    [InlineData("per-app-api-usage=17/250(appName=sample-app), api-usage=18/5000", 18, 5000)]
    [InlineData("api-usage=0/15000", 0, 15000)]
    public void TryParse_ReadsTheOrgsUsage(string header, long used, long max)
    {
        Assert.True(ApiUsageObserver.TryParse(header, out var u, out var m));
        Assert.Equal((used, max), (u, m));
    }

    [Theory]
    [InlineData("per-app-api-usage=17/250(appName=sample-app)")]
    [InlineData("api-usage=")]
    [InlineData("api-usage=18")]
    [InlineData("api-usage=x/5000")]
    [InlineData("")]
    public void TryParse_OtherValues_AreIgnored(string header) =>
        Assert.False(ApiUsageObserver.TryParse(header, out _, out _));
}
