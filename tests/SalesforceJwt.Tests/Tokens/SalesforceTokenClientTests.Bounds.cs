using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SalesforceJwt.Tests.TestSupport;
using SalesforceJwt.Tokens;

namespace SalesforceJwt.Tests.Tokens;

/// <summary>A hostile or broken token endpoint cannot hang callers, exhaust memory, or get a token sent over plain HTTP.</summary>
public sealed partial class SalesforceTokenClientTests
{
    private const string TokenJson = """{"access_token":"00DFK0000000001!AQ0AQ.secret-token","instance_url":"https://acme.my.salesforce.com","token_type":"Bearer"}""";

    private static (ServiceProvider Services, FakeTimeProvider Clock) ServicesAt(Uri loginUrl)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSalesforceJwt(o =>
        {
            o.ConsumerKey = "k";
            o.Username = "integration@example.com";
            o.LoginUrl = loginUrl;
            o.PrivateKey = TestKeys.Shared;
            o.TokenRequestTimeout = TimeSpan.FromSeconds(30);
        });
        return (services.BuildServiceProvider(), clock);
    }

    [Fact]
    public async Task GetTokenAsync_EndpointSendsHeadersThenStalls_EveryWaiterGetsTheTimeoutError()
    {
        RawHttpServer server = null!;
        using var _ = server = new RawHttpServer(async (_, stream, stop) =>
        {
            await RawHttpServer.WriteHeadersAsync(stream, 200, "Content-Type: application/json\r\nContent-Length: 500\r\n", stop);
            await stream.WriteAsync("""{"access_token":"00D"""u8.ToArray(), stop);
            await stream.FlushAsync(stop);
            server.HeadersSent.TrySetResult();

            // Then nothing more, ever: the connection stays open until the test ends.
            await Task.Delay(Timeout.Infinite, stop);
        });
        var (services, clock) = ServicesAt(server.Url);
        using var __ = services;
        var tokens = services.GetRequiredService<ISalesforceTokenProvider>();
        var waiters = Enumerable.Range(0, 10).Select(_ => tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, cancellationToken: TestContext.Current.CancellationToken).AsTask()).ToList();

        await server.HeadersSent.Task.WaitAsync(TestContext.Current.CancellationToken);
        clock.Advance(TimeSpan.FromSeconds(30));

        foreach (var waiter in waiters)
        {
            var ex = await Assert.ThrowsAsync<SalesforceTokenEndpointException>(() => waiter);
            Assert.Equal(SalesforceErrorCode.TokenEndpointTimedOut, ex.Code);
            Assert.True(ex.IsTransient);
            Assert.Contains("TokenRequestTimeout", ex.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RequestTokenAsync_HundredMegabyteBody_IsRefusedAfterReadingAtMost64KiB(bool chunked)
    {
        const long HundredMegabytes = 100L * 1024 * 1024;
        RawHttpServer server = null!;
        using var _ = server = new RawHttpServer(async (_, stream, stop) =>
        {
            if (chunked)
            {
                await RawHttpServer.WriteHeadersAsync(stream, 200, "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n", stop);
                await server.WriteChunkedAsync(stream, """{"access_token":"00D""", HundredMegabytes, (byte)'a', stop);
            }
            else
            {
                await RawHttpServer.WriteHeadersAsync(stream, 200, $"Content-Type: application/json\r\nContent-Length: {HundredMegabytes}\r\n", stop);
                await server.WriteChunkedAsync(Stream.Null, "", HundredMegabytes, (byte)'a', stop);
            }
        });
        var (services, _) = ServicesAt(server.Url);
        using var __ = services;

        var ex = await Assert.ThrowsAsync<SalesforceTokenEndpointException>(() =>
            services.GetRequiredService<SalesforceJwt.Tokens.Internal.SalesforceTokenClient>()
                .RequestTokenAsync(server.Url, Assertion, new("integration@example.com"), TestContext.Current.CancellationToken));

        Assert.Equal(SalesforceErrorCode.TokenResponseTooLarge, ex.Code);
        Assert.False(ex.IsTransient);
        if (chunked)
        {
            // What left the server before the client hung up: the 64 KiB read plus what socket buffers hold, never 100 MB.
            Assert.True(server.BodyBytesWritten < 16 * 1024 * 1024, $"{server.BodyBytesWritten} bytes were sent");
        }
    }

    [Theory]
    [InlineData("http://acme.my.salesforce.com", "https://login.salesforce.com/id/00DFK0000000001EAA/005FK0000000001AAA", "instance_url")]
    [InlineData("https://acme.my.salesforce.com", "http://login.salesforce.com/id/00DFK0000000001EAA/005FK0000000001AAA", "id")]
    [InlineData("http://10.0.0.8:8080", null, "instance_url")]
    public async Task RequestTokenAsync_PlainHttpUrlsInTheResponse_AreATypedErrorAndTheTokenIsDiscarded(string instanceUrl, string? id, string field)
    {
        var idJson = id is null ? "" : $",\"id\":\"{id}\"";
        _stub.TokenEndpointAnswers(HttpStatusCode.OK, $$"""{"access_token":"00DFK0000000001!AQ0AQ.secret-token","instance_url":"{{instanceUrl}}"{{idJson}}}""");

        var ex = await Assert.ThrowsAsync<SalesforceTokenEndpointException>(Request);

        Assert.Equal(SalesforceErrorCode.InsecureTokenResponse, ex.Code);
        Assert.Contains(field + " is not https", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-token", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestTokenAsync_InstanceUrlWithUserInfoAndPath_KeepsOnlyTheOrigin()
    {
        _stub.TokenEndpointAnswers(HttpStatusCode.OK, """{"access_token":"00DFK0000000001!x","instance_url":"https://evil@acme.my.salesforce.com:443/services/data?x=1"}""");

        var token = await Request();

        Assert.Equal("https://acme.my.salesforce.com/", token.InstanceUrl.ToString());
    }
}
