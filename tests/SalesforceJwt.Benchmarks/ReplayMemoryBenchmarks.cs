using System.Net;
using BenchmarkDotNet.Attributes;

namespace SalesforceJwt.Benchmarks;

/// <summary>
/// Target 6, replay memory: a POST whose body is a StreamContent of known length (so the handler buffers it to be able
/// to replay it), through the baseline and the Salesforce client; 1,000,000 bytes (under MaxReplayBufferBytes, 1 MiB)
/// and 2,000,000 bytes (over it: never buffered). The extra allocation over the baseline is the replay cost.
/// </summary>
[MemoryDiagnoser]
public class ReplayMemoryBenchmarks
{
    private const string Path = "services/data/v62.0/sobjects/ContentVersion";
    private BenchmarkClients _clients = null!;
    private readonly byte[] _small = new byte[1_000_000];
    private readonly byte[] _large = new byte[2_000_000];

    [GlobalSetup]
    public async Task SetupAsync() => _clients = await BenchmarkClients.CreateAsync();

    [GlobalCleanup]
    public void Cleanup() => _clients.Dispose();

    [Benchmark(Baseline = true)]
    public Task<HttpStatusCode> Plain_1MB() => PostAsync(_clients.Plain, _small);

    [Benchmark]
    public Task<HttpStatusCode> Salesforce_1MB() => PostAsync(_clients.Salesforce, _small);

    [Benchmark]
    public Task<HttpStatusCode> Plain_2MB_OverLimit() => PostAsync(_clients.Plain, _large);

    [Benchmark]
    public Task<HttpStatusCode> Salesforce_2MB_OverLimit() => PostAsync(_clients.Salesforce, _large);

    private static async Task<HttpStatusCode> PostAsync(HttpClient client, byte[] body)
    {
        using var content = new StreamContent(new MemoryStream(body, writable: false));
        using var response = await client.PostAsync(Path, content);
        return response.StatusCode;
    }
}
