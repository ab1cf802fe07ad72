using System.Net;
using System.Reflection;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SalesforceJwt.Tokens;

namespace SalesforceJwt.Benchmarks;

/// <summary>
/// The two clients every benchmark compares, built the same way: a baseline named client (BaseAddress = the instance,
/// one handler setting a fixed Authorization header, factory logging removed) and the README's
/// <c>AddSalesforceJwt()</c> client (which removes the factory's default logging itself). Both end in in-memory handlers.
/// </summary>
internal sealed class BenchmarkClients : IDisposable
{
    public const string Instance = "https://acme.my.salesforce.com";
    public const string Path = "services/data/v62.0/limits";

    private BenchmarkClients(ServiceProvider services, RSA key, InMemoryTokenEndpoint tokenEndpoint, InMemoryApi api)
    {
        Services = services;
        Key = key;
        TokenEndpoint = tokenEndpoint;
        Api = api;
        var factory = services.GetRequiredService<IHttpClientFactory>();
        Plain = factory.CreateClient("plain");
        PlainWithAsyncHandler = factory.CreateClient("plain-async");
        Salesforce = factory.CreateClient(SalesforceJwtDefaults.ClientName);
        Tokens = services.GetRequiredService<ISalesforceTokenProvider>();
    }

    public ServiceProvider Services { get; }

    public RSA Key { get; }

    public InMemoryTokenEndpoint TokenEndpoint { get; }

    public InMemoryApi Api { get; }

    public HttpClient Plain { get; }

    /// <summary>
    /// The baseline plus one pass-through handler that awaits the response, as any handler that must see the answer
    /// does: the floor for such a handler on this machine, shown beside the baseline.
    /// </summary>
    public HttpClient PlainWithAsyncHandler { get; }

    public HttpClient Salesforce { get; }

    public ISalesforceTokenProvider Tokens { get; }

    /// <summary>Builds both clients; the Salesforce client is obtained once and has made one request (token cached).</summary>
    public static async Task<BenchmarkClients> CreateAsync(TimeSpan tokenLatency = default, Action<SalesforceJwtOptions>? configure = null)
    {
        // In the benchmark process itself, which BenchmarkDotNet builds apart from the host: the build really measured.
        Console.WriteLine("// SalesforceJwt build: " +
            typeof(SalesforceJwtDefaults).Assembly.GetCustomAttribute<System.Runtime.Versioning.TargetFrameworkAttribute>()?.FrameworkName);
        var key = RSA.Create(2048);
        var tokenEndpoint = new InMemoryTokenEndpoint(tokenLatency);
        var api = new InMemoryApi();
        var services = new ServiceCollection();
        services.AddSalesforceJwt(o =>
        {
            o.ConsumerKey = "3MVG9-benchmark";
            o.Username = "integration@acme.com";
            o.LoginUrl = new Uri(Instance);
            o.PrivateKey = key;
            configure?.Invoke(o);
        }).ConfigurePrimaryHttpMessageHandler(() => api);
        services.AddHttpClient(SalesforceJwtDefaults.TokenClientName).ConfigurePrimaryHttpMessageHandler(() => tokenEndpoint);
        services.AddHttpClient("plain", c => c.BaseAddress = new Uri(Instance))
            .AddHttpMessageHandler(() => new FixedHeader(new AuthenticationHeaderValue("Bearer", "00Dxx!benchmark")))
            .RemoveAllLoggers()
            .ConfigurePrimaryHttpMessageHandler(() => api);
        services.AddHttpClient("plain-async", c => c.BaseAddress = new Uri(Instance))
            .AddHttpMessageHandler(() => new FixedHeader(new AuthenticationHeaderValue("Bearer", "00Dxx!benchmark")))
            .AddHttpMessageHandler(() => new AwaitingPassThrough())
            .RemoveAllLoggers()
            .ConfigurePrimaryHttpMessageHandler(() => api);
        var clients = new BenchmarkClients(services.BuildServiceProvider(), key, tokenEndpoint, api);
        using var warm = await clients.Salesforce.GetAsync(Path).ConfigureAwait(false);
        warm.EnsureSuccessStatusCode();
        return clients;
    }

    public void Dispose()
    {
        Services.Dispose();
        Key.Dispose();
    }

    /// <summary>The baseline's only work: one fixed header value, set on every request.</summary>
    private sealed class FixedHeader(AuthenticationHeaderValue value) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Authorization = value;
            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>Awaits the response and returns it: the cost of one async frame, nothing else.</summary>
    private sealed class AwaitingPassThrough : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An in-memory token endpoint: a new access token per exchange, after an optional simulated latency.</summary>
    internal sealed class InMemoryTokenEndpoint(TimeSpan latency) : HttpMessageHandler
    {
        private int _exchanges;

        public int Exchanges => Volatile.Read(ref _exchanges);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var n = Interlocked.Increment(ref _exchanges);
            if (latency > TimeSpan.Zero)
            {
                await Task.Delay(latency, cancellationToken).ConfigureAwait(false);
            }

            var body = $$"""{"access_token":"00Dxx!benchmark{{n}}","instance_url":"{{Instance}}","token_type":"Bearer","issued_at":"1765000000000"}""";
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
                RequestMessage = request,
            };
        }
    }

    /// <summary>
    /// An in-memory Salesforce API: reads any request body (as a transport would), answers 200, except 401
    /// INVALID_SESSION_ID to the token in <see cref="RejectToken"/>.
    /// </summary>
    internal sealed class InMemoryApi : HttpMessageHandler
    {
        private static readonly byte[] s_ok = "{}"u8.ToArray();
        private static readonly byte[] s_expired = """[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"""u8.ToArray();

        public string? LastToken { get; private set; }

        public string? RejectToken { get; set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is { } content)
            {
                await content.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
            }

            var token = request.Headers.Authorization?.Parameter;
            LastToken = token;
            var expired = token is not null && string.Equals(token, RejectToken, StringComparison.Ordinal);
            return new HttpResponseMessage(expired ? HttpStatusCode.Unauthorized : HttpStatusCode.OK)
            {
                Content = new ByteArrayContent(expired ? s_expired : s_ok),
                RequestMessage = request,
            };
        }
    }
}
