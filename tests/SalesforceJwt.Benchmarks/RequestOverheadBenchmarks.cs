using System.Net;
using BenchmarkDotNet.Attributes;

namespace SalesforceJwt.Benchmarks;

/// <summary>
/// Target 1, hot path sequential: the same GET with a relative URI through the baseline client (fixed header) and
/// through the <c>AddSalesforceJwt()</c> client, obtained once before its first request, token cached.
/// </summary>
[MemoryDiagnoser]
public class RequestOverheadBenchmarks
{
    private BenchmarkClients _clients = null!;
    private BenchmarkClients _timed = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _clients = await BenchmarkClients.CreateAsync();
        _timed = await BenchmarkClients.CreateAsync(configure: o => o.SessionTimeout = TimeSpan.FromHours(2));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _clients.Dispose();
        _timed.Dispose();
    }

    [Benchmark(Baseline = true)]
    public async Task<HttpStatusCode> PlainHttpClient()
    {
        using var response = await _clients.Plain.GetAsync(BenchmarkClients.Path);
        return response.StatusCode;
    }

    /// <summary>Control: the baseline plus one handler that only awaits the response (the floor for target 1).</summary>
    [Benchmark]
    public async Task<HttpStatusCode> PlainHttpClient_PlusAwaitingHandler()
    {
        using var response = await _clients.PlainWithAsyncHandler.GetAsync(BenchmarkClients.Path);
        return response.StatusCode;
    }

    [Benchmark]
    public async Task<HttpStatusCode> SalesforceClient_CachedToken()
    {
        using var response = await _clients.Salesforce.GetAsync(BenchmarkClients.Path);
        return response.StatusCode;
    }

    /// <summary>The same client with a known session timeout: every request also predicts the session's end and records activity.</summary>
    [Benchmark]
    public async Task<HttpStatusCode> SalesforceClient_SessionTimeoutKnown()
    {
        using var response = await _timed.Salesforce.GetAsync(BenchmarkClients.Path);
        return response.StatusCode;
    }
}
