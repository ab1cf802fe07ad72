using System.Net;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using SalesforceJwt;

namespace SalesforceJwt.Benchmarks;

/// <summary>
/// What SalesforceJwt adds to a request once the token is cached: the same GET through a plain HttpClient (baseline)
/// and through the Salesforce client, both ending in an in-memory handler so the network does not drown the difference.
/// </summary>
[MemoryDiagnoser]
public class RequestOverheadBenchmarks
{
    private const string Instance = "https://acme.my.salesforce.com";
    private ServiceProvider _services = null!;
    private HttpClient _plain = null!;
    private HttpClient _salesforce = null!;
    private RSA _key = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _key = RSA.Create(2048);
        var services = new ServiceCollection();
        services.AddSalesforceJwt(o =>
        {
            o.ConsumerKey = "3MVG9-benchmark";
            o.Username = "integration@acme.com";
            o.LoginUrl = new Uri(Instance);
            o.PrivateKey = _key;
        }).ConfigurePrimaryHttpMessageHandler(() => new Answer(HttpStatusCode.OK, "{}"));
        services.AddHttpClient(SalesforceJwtDefaults.TokenClientName).ConfigurePrimaryHttpMessageHandler(() =>
            new Answer(HttpStatusCode.OK, $$"""{"access_token":"00Dxx!benchmark","instance_url":"{{Instance}}","token_type":"Bearer"}"""));
        services.AddHttpClient("plain", c => c.BaseAddress = new Uri(Instance)).ConfigurePrimaryHttpMessageHandler(() => new Answer(HttpStatusCode.OK, "{}"));
        _services = services.BuildServiceProvider();
        var factory = _services.GetRequiredService<IHttpClientFactory>();
        _plain = factory.CreateClient("plain");
        _salesforce = factory.CreateClient(SalesforceJwtDefaults.ClientName);
        using var warm = await _salesforce.GetAsync("services/data/v62.0/limits");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _services.Dispose();
        _key.Dispose();
    }

    [Benchmark(Baseline = true)]
    public async Task<HttpStatusCode> PlainHttpClient()
    {
        using var response = await _plain.GetAsync("services/data/v62.0/limits");
        return response.StatusCode;
    }

    [Benchmark]
    public async Task<HttpStatusCode> SalesforceClient_CachedToken()
    {
        using var response = await _salesforce.GetAsync("services/data/v62.0/limits");
        return response.StatusCode;
    }

    private sealed class Answer(HttpStatusCode status, string body) : HttpMessageHandler
    {
        private readonly byte[] _body = Encoding.UTF8.GetBytes(body);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { Content = new ByteArrayContent(_body), RequestMessage = request });
    }
}
