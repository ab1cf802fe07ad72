using BenchmarkDotNet.Attributes;
using SalesforceJwt.Tokens;

namespace SalesforceJwt.Benchmarks;

/// <summary>
/// Target 4, shared acquisition: 1,000 concurrent callers asking for a token no one holds yet vs one caller alone,
/// token endpoint latency 100 ms (real Task.Delay, the middle of the 50-200 ms). Each operation uses a user
/// not seen before, so every operation is cold.
/// </summary>
[MemoryDiagnoser]
public class SharedAcquisitionBenchmarks
{
    private const int Callers = 1000;
    private BenchmarkClients _clients = null!;
    private int _user;
    private int _operations;

    [GlobalSetup]
    public async Task SetupAsync() => _clients = await BenchmarkClients.CreateAsync(TimeSpan.FromMilliseconds(100));

    [GlobalCleanup]
    public void Cleanup()
    {
        // One exchange per operation (plus the warm-up) shows the callers shared it.
        Console.WriteLine($"// shared acquisition: {_operations} operations, {_clients.TokenEndpoint.Exchanges} token exchanges");
        _clients.Dispose();
    }

    [Benchmark(Baseline = true)]
    public async Task<SalesforceToken> OneCaller()
    {
        Interlocked.Increment(ref _operations);
        return await _clients.Tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, NewUser());
    }

    [Benchmark]
    public async Task<SalesforceToken[]> ThousandCallers()
    {
        Interlocked.Increment(ref _operations);
        var request = NewUser();
        var callers = new Task<SalesforceToken>[Callers];
        for (var i = 0; i < callers.Length; i++)
        {
            callers[i] = _clients.Tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, request).AsTask();
        }

        return await Task.WhenAll(callers);
    }

    private SalesforceTokenRequest NewUser() => new() { Username = $"user{Interlocked.Increment(ref _user)}@acme.com" };
}
