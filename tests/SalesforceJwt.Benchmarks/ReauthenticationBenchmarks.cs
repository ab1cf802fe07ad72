using System.Net;
using BenchmarkDotNet.Attributes;
using SalesforceJwt.Tokens;

namespace SalesforceJwt.Benchmarks;

/// <summary>
/// Target 5, re-authentication: a GET whose session Salesforce has expired (the in-memory API answers 401
/// INVALID_SESSION_ID to the current token once; the handler gets a new token and replays) vs a normal GET, and vs
/// the by-hand floor for the same work: one token round trip plus two API round trips (the refused one and the replay).
/// The invocation count is fixed so the logins stay inside MaxLoginsPerHour (3,600) for the whole run.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(512)]
public class ReauthenticationBenchmarks
{
    private BenchmarkClients _clients = null!;
    private int _user;

    [GlobalSetup]
    public async Task SetupAsync() => _clients = await BenchmarkClients.CreateAsync(configure: o => o.MaxLoginsPerHour = 3600);

    [GlobalCleanup]
    public void Cleanup() => _clients.Dispose();

    [Benchmark(Baseline = true)]
    public async Task<HttpStatusCode> NormalRequest()
    {
        using var response = await _clients.Salesforce.GetAsync(BenchmarkClients.Path);
        return response.StatusCode;
    }

    [Benchmark]
    public async Task<HttpStatusCode> ExpiredSession()
    {
        _clients.Api.RejectToken = _clients.Api.LastToken;
        using var response = await _clients.Salesforce.GetAsync(BenchmarkClients.Path);
        return response.StatusCode == HttpStatusCode.OK ? response.StatusCode : throw new InvalidOperationException($"replay answered {response.StatusCode}");
    }

    [Benchmark]
    public async Task<HttpStatusCode> Floor_OneTokenPlusTwoRequests()
    {
        await _clients.Tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, new SalesforceTokenRequest { Username = $"user{Interlocked.Increment(ref _user)}@acme.com" });
        using var first = await _clients.Salesforce.GetAsync(BenchmarkClients.Path);
        using var second = await _clients.Salesforce.GetAsync(BenchmarkClients.Path);
        return second.StatusCode;
    }
}
