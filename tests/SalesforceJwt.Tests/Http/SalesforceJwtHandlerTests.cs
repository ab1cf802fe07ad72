using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SalesforceJwt.Http;
using SalesforceJwt.Tests.TestSupport;

namespace SalesforceJwt.Tests.Http;

/// <summary>The handler against the fake org: expiry per API, look-alikes, safe replay, pauses.</summary>
public sealed partial class SalesforceJwtHandlerTests : IDisposable
{
    private const string Limits = "services/data/v62.0/limits";
    private const string Accounts = "services/data/v62.0/sobjects/Account";
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private FakeOrgHarness _h = new();

    public void Dispose() => _h.Dispose();

    private void Use(FakeOrgHarness harness)
    {
        _h.Dispose();
        _h = harness;
    }

    private async Task WarmAsync()
    {
        using var response = await _h.Client.GetAsync(Limits, _ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private int TokenRequests => _h.Org.Counters.TokenRequests;

    [Fact]
    public async Task SendAsync_ThousandConcurrentColdCallers_MakeOneTokenRequest()
    {
        var calls = Enumerable.Range(0, 1000).Select(_ => _h.Client.GetAsync(Limits, _ct)).ToList();
        var responses = await Task.WhenAll(calls);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, TokenRequests);
        Assert.Equal(1000, _h.Org.Counters.ApiCallsByStatus[200]);
        Assert.Equal(0, _h.Org.Counters.MalformedAuthorizationHeaders);
        Array.ForEach(responses, r => r.Dispose());
    }

    [Fact]
    public async Task SendAsync_AfterTheTokenProviderIsDisposed_TheCachedTokenIsNotSentAgain()
    {
        // The handler keeps its user's cache entry between requests; disposing the provider must retire it.
        await WarmAsync();
        var apiCalls = _h.Org.Counters.ApiCallsByStatus[200];

        ((IDisposable)_h.Tokens).Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => _h.Client.GetAsync(Limits, _ct));
        Assert.Equal(apiCalls, _h.Org.Counters.ApiCallsByStatus[200]);
    }

    [Fact]
    public async Task SendAsync_ThousandConcurrent401sOnOneToken_OneTokenRequest_AndAThousandSuccesses()
    {
        // A handler behind ours holds the first 1,000 sends until all have arrived, so all carry the same expired token.
        var gate = new ArrivalGate(1000);
        Use(new FakeOrgHarness(client: builder => builder.AddHttpMessageHandler(() => gate)));
        await WarmAsync();
        _h.Org.ExpireAllSessions();

        var calls = Enumerable.Range(0, 1000).Select(i => _h.Client.PostAsJsonAsync(Accounts, new { Name = $"Account {i}" }, _ct)).ToList();
        var responses = await Task.WhenAll(calls);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Equal(2, TokenRequests);
        Assert.Equal(1000, _h.Org.Counters.UnauthorizedServed);
        Assert.Equal(1000, _h.Org.Counters.ApiCallsByStatus[201]);
        Assert.Equal(1000, _h.Org.Records("Account").Count);
        Array.ForEach(responses, r => r.Dispose());
    }

    /// <summary>Lets requests through once <c>count</c> of them (after the first, which warms the token) are waiting.</summary>
    private sealed class ArrivalGate(int count) : DelegatingHandler
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _arrived = -1;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var arrival = Interlocked.Increment(ref _arrived);
            if (arrival >= 1 && arrival <= count)
            {
                if (arrival == count)
                {
                    _open.SetResult();
                }

                await _open.Task.WaitAsync(cancellationToken);
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }

    [Fact]
    public async Task SendAsync_BulkApiV1_UsesTheSessionHeader_AndRecoversFromItsExpiryShape()
    {
        await WarmAsync();
        _h.Org.ExpireAllSessions();

        using var response = await _h.Client.PostAsync("services/async/62.0/job", new StringContent("<jobInfo/>", Encoding.UTF8, "application/xml"), _ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(2, TokenRequests);
        Assert.Equal(1, _h.Org.Counters.ApiCallsByStatus[400]);
    }

    [Fact]
    public async Task SendAsync_IdentityUrl_RecoversFromBadOAuthToken()
    {
        await WarmAsync();
        var token = await _h.Tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, cancellationToken: _ct);
        _h.Org.ExpireAllSessions();

        using var response = await _h.Client.GetAsync(token.IdentityUrl, _ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(_h.Integration.Username, await response.Content.ReadAsStringAsync(_ct), StringComparison.Ordinal);
        Assert.Equal(1, _h.Org.Counters.ApiCallsByStatus[403]);
    }

    [Fact]
    public async Task SendAsync_Soap_ReplaysWithTheNewSessionIdInTheEnvelope()
    {
        var token = await _h.Tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, cancellationToken: _ct);
        _h.Org.ExpireAllSessions();
        var envelope = $"""<?xml version="1.0"?><env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:urn="urn:partner.soap.sforce.com"><env:Header><urn:SessionHeader><urn:sessionId>{token.AccessToken}</urn:sessionId></urn:SessionHeader></env:Header><env:Body><urn:getUserInfo/></env:Body></env:Envelope>""";

        using var response = await _h.Client.PostAsync("services/Soap/u/62.0", new StringContent(envelope, Encoding.UTF8, "text/xml"), _ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var fresh = await _h.Tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, cancellationToken: _ct);
        var soapCalls = _h.Org.ReceivedRequests.Where(r => r.Path == "/services/Soap/u/62.0").ToList();
        Assert.Equal(2, soapCalls.Count);
        Assert.Contains($"<urn:sessionId>{fresh.AccessToken}</urn:sessionId>", soapCalls[1].Body, StringComparison.Ordinal);
        Assert.Equal(soapCalls[0].Body!.Replace(token.AccessToken, fresh.AccessToken, StringComparison.Ordinal), soapCalls[1].Body);
    }

    [Fact]
    public async Task SendAsync_SoapWithoutTheOldSessionInTheEnvelope_ThrowsATypedExpiredSessionError()
    {
        await WarmAsync();
        _h.Org.ExpireAllSessions();
        var envelope = """<?xml version="1.0"?><env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Header><SessionHeader><sessionId>someone-elses</sessionId></SessionHeader></env:Header><env:Body/></env:Envelope>""";

        var ex = await Assert.ThrowsAsync<SalesforceSessionException>(() => _h.Client.PostAsync("services/Soap/m/62.0", new StringContent(envelope, Encoding.UTF8, "text/xml"), _ct));

        Assert.Equal(SalesforceErrorCode.SessionExpiredNotReplayable, ex.Code);
        Assert.Single(_h.Org.ReceivedRequests, r => r.Path == "/services/Soap/m/62.0");
    }

    [Fact]
    public async Task SendAsync_NotValidForRestApi_IsNotExpiry_TheCallerGetsThe401AndNoLoginIsSpent()
    {
        await WarmAsync();
        _h.Org.RestApiRefusesSessions = true;

        using var response = await _h.Client.GetAsync(Limits, _ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("not valid for use with the REST API", await response.Content.ReadAsStringAsync(_ct), StringComparison.Ordinal);
        Assert.Equal(1, TokenRequests);
    }

    [Fact]
    public async Task SendAsync_RequestLimitExceeded_IsNotExpiry()
    {
        await WarmAsync();
        _h.Org.RequestLimitExceeded = true;

        using var response = await _h.Client.GetAsync(Limits, _ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(1, TokenRequests);
    }

    [Fact]
    public async Task SendAsync_PatchWithJson_IsReplayedIntact()
    {
        using (var created = await _h.Client.PostAsJsonAsync(Accounts, new { Name = "Acme" }, _ct))
        {
            var id = (await created.Content.ReadFromJsonAsync<Dictionary<string, object>>(_ct))!["id"].ToString();
            _h.Org.ExpireAllSessions();
            using var patched = await _h.Client.PatchAsJsonAsync($"{Accounts}/{id}", new { Industry = "Energy", Employees = 42 }, _ct);
            Assert.Equal(HttpStatusCode.NoContent, patched.StatusCode);
        }

        var patches = _h.Org.ReceivedRequests.Where(r => r.Method == "PATCH").ToList();
        Assert.Equal([401, 204], patches.Select(p => p.Status));
        Assert.Equal("""{"industry":"Energy","employees":42}""", patches[1].Body);
        Assert.Equal(patches[0].Body, patches[1].Body);
    }

    [Fact]
    public async Task SendAsync_MultipartUpload_IsReplayedIntact()
    {
        await WarmAsync();
        _h.Org.ExpireAllSessions();
        using var content = new MultipartFormDataContent("boundary-for-test")
        {
            { new StringContent("""{"Name":"contract.pdf"}""", Encoding.UTF8, "application/json"), "entity_content" },
            { new ByteArrayContent([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31]), "VersionData", "contract.pdf" },
        };

        using var response = await _h.Client.PostAsync("services/data/v62.0/sobjects/ContentVersion", content, _ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var uploads = _h.Org.ReceivedRequests.Where(r => r.Path.EndsWith("/ContentVersion", StringComparison.Ordinal)).ToList();
        Assert.Equal([401, 201], uploads.Select(u => u.Status));
        Assert.Contains("contract.pdf", uploads[1].Body, StringComparison.Ordinal);
        Assert.Equal(uploads[0].Body, uploads[1].Body);
    }

    [Fact]
    public async Task SendAsync_NonSeekableStreamOfUnknownLength_IsNeverSentTwice_TheCallerGetsTheOriginalResponseAndTheReason()
    {
        await WarmAsync();
        _h.Org.ExpireAllSessions();
        using var request = new HttpRequestMessage(HttpMethod.Post, Accounts)
        {
            Content = new StreamContent(new ForwardOnlyStream(Encoding.UTF8.GetBytes("""{"Name":"Once"}"""))),
        };
        request.Content.Headers.ContentType = new("application/json");

        using var response = await _h.Client.SendAsync(request, _ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.True(request.Options.TryGetValue(SalesforceHttpRequestOptions.ReplaySkipped, out var reason));
        Assert.Equal(SalesforceReplaySkipReason.BodyOfUnknownLength, reason);
        Assert.Single(_h.Org.ReceivedRequests, r => r.Method == "POST" && r.Path.EndsWith("/Account", StringComparison.Ordinal));

        // The token was renewed for the requests that follow: they see no 401.
        using var next = await _h.Client.GetAsync(Limits, _ct);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(2, TokenRequests);
        Assert.Equal(1, _h.Org.Counters.UnauthorizedServed);
    }

    [Fact]
    public async Task SendAsync_NonReplayableRequest_WhenRenewalFails_StillGetsSalesforcesAnswer()
    {
        await WarmAsync();
        _h.Org.ExpireAllSessions();
        _h.Integration.User.IsActive = false;
        using var request = new HttpRequestMessage(HttpMethod.Post, Accounts)
        {
            Content = new StreamContent(new ForwardOnlyStream(Encoding.UTF8.GetBytes("""{"Name":"Once"}"""))),
        };

        using var response = await _h.Client.SendAsync(request, _ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("INVALID_SESSION_ID", await response.Content.ReadAsStringAsync(_ct), StringComparison.Ordinal);
        Assert.Equal(2, TokenRequests);
    }

    [Fact]
    public async Task SendAsync_BodyLargerThanTheReplayBuffer_IsNotReplayed()
    {
        Use(new FakeOrgHarness(o => o.MaxReplayBufferBytes = 8));
        await WarmAsync();
        _h.Org.ExpireAllSessions();
        using var request = new HttpRequestMessage(HttpMethod.Post, Accounts)
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("""{"Name":"Too large"}"""))),
        };

        using var response = await _h.Client.SendAsync(request, _ct);

        // StreamContent does not tell whether its stream can seek, so a body over the limit is never buffered nor replayed.
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(SalesforceReplaySkipReason.BodyTooLarge, request.Options.TryGetValue(SalesforceHttpRequestOptions.ReplaySkipped, out var reason) ? reason : default);
    }

    /// <summary>A stream that can be read once, front to back, like a network or pipe stream.</summary>
    private sealed class ForwardOnlyStream(byte[] data) : Stream
    {
        private readonly MemoryStream _inner = new(data);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
