using BenchmarkDotNet.Attributes;

namespace SalesforceJwt.Benchmarks;

/// <summary>
/// Target 2, 64 concurrent callers: each operation is 64 parallel tasks of <see cref="PerCaller"/> sequential GETs, so
/// the reported time is per request and the throughput ratio is the inverse of the time ratio.
/// </summary>
[MemoryDiagnoser]
public class ConcurrentCallersBenchmarks
{
    private const int Callers = 64;
    private const int PerCaller = 200;
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

    [Benchmark(Baseline = true, OperationsPerInvoke = Callers * PerCaller)]
    public Task PlainHttpClient() => RunAsync(_clients.Plain);

    /// <summary>Control: the baseline plus one handler that only awaits the response.</summary>
    [Benchmark(OperationsPerInvoke = Callers * PerCaller)]
    public Task PlainHttpClient_PlusAwaitingHandler() => RunAsync(_clients.PlainWithAsyncHandler);

    [Benchmark(OperationsPerInvoke = Callers * PerCaller)]
    public Task SalesforceClient_CachedToken() => RunAsync(_clients.Salesforce);

    /// <summary>The same client with a known session timeout: every request also predicts the session's end and records activity.</summary>
    [Benchmark(OperationsPerInvoke = Callers * PerCaller)]
    public Task SalesforceClient_SessionTimeoutKnown() => RunAsync(_timed.Salesforce);

    private static Task RunAsync(HttpClient client)
    {
        var callers = new Task[Callers];
        for (var i = 0; i < callers.Length; i++)
        {
            callers[i] = Task.Run(async () =>
            {
                for (var j = 0; j < PerCaller; j++)
                {
                    using var response = await client.GetAsync(BenchmarkClients.Path).ConfigureAwait(false);
                }
            });
        }

        return Task.WhenAll(callers);
    }
}
