using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SalesforceJwt.Tests.TestSupport;
using SalesforceJwt.Tokens;

namespace SalesforceJwt.Tests.DependencyInjection;

/// <summary>A remote <see cref="ISalesforceAssertionSigner"/> through the whole DI graph against the fake org: the library never holds the private key.</summary>
public sealed class SignerEndToEndTests : IDisposable
{
    private const string Limits = "services/data/v62.0/limits";
    private static readonly TimeSpan s_budget = TimeSpan.FromSeconds(30);
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// A harness whose connection signs only through a <see cref="CountingSigner"/>: the fake app's key (or another, for
    /// <paramref name="wrongKey"/>) lives in the signer and the options carry no key.
    /// </summary>
    private (FakeOrgHarness Harness, CountingSigner Signer) Start(bool wrongKey = false, bool certificatePath = false)
    {
        CountingSigner? signer = null;
        var harness = new FakeOrgHarness(options =>
        {
            var uploaded = options.Certificate!;
            signer ??= new CountingSigner(wrongKey ? TestKeys.Shared : uploaded.GetRSAPrivateKey()!);
            options.Certificate = null;
            options.Signer = signer;
            options.TokenRequestTimeout = s_budget;
            if (certificatePath)
            {
                options.CertificatePath = TestKeys.WriteTemp(_dir, "uploaded.crt", uploaded.ExportCertificatePem());
            }
        });

        // Options are made on first use; make them now so that the signer exists (and start-up validation has run).
        _ = harness.Services.GetRequiredService<IOptionsMonitor<SalesforceJwtOptions>>().Get(SalesforceJwtDefaults.ClientName);
        return (harness, signer!);
    }

    private static List<string> PostedAssertions(FakeOrgHarness h) =>
        [.. h.Org.ReceivedRequests.Where(r => r.Path.EndsWith("/services/oauth2/token", StringComparison.Ordinal)).Select(r => JwtParts.AssertionInForm(r.Body!))];

    private ValueTask<SalesforceToken> GetTokenAsync(FakeOrgHarness h) =>
        h.Tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, cancellationToken: _ct);

    [Fact]
    public async Task Signer_EndToEnd_LogsInAndReauthenticates_OneSignaturePerLogin_AndTheOrgVerifiesEach()
    {
        var (h, signer) = Start();
        using var harness = h;

        for (var i = 0; i < 3; i++)
        {
            using var response = await h.Client.GetAsync(Limits, _ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        h.Org.ExpireAllSessions();
        using (var replayed = await h.Client.GetAsync(Limits, _ct))
        {
            Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        }

        Assert.Equal(1, h.Org.Counters.UnauthorizedServed);
        Assert.Equal(2, h.Org.Counters.TokensIssued);
        Assert.Equal(2, signer.Calls);
        var assertions = PostedAssertions(h);
        Assert.Equal(2, assertions.Count);
        using var publicKey = h.Integration.Certificate.GetRSAPublicKey()!;
        Assert.All(assertions, jwt =>
        {
            Assert.True(JwtParts.Verifies(jwt, publicKey));
            var (header, payload) = JwtParts.Decode(jwt);
            Assert.Equal("RS256", header.GetProperty("alg").GetString());
            Assert.Equal(["aud", "exp", "iss", "sub"], JwtParts.PropertyNames(payload));
            Assert.Equal(h.Integration.ConsumerKey, payload.GetProperty("iss").GetString());
            Assert.Equal(h.Integration.Username, payload.GetProperty("sub").GetString());
            Assert.Equal(h.Clock.GetUtcNow().AddMinutes(2).ToUnixTimeSeconds(), payload.GetProperty("exp").GetInt64());
        });
    }

    [Fact]
    public async Task Signer_WithMatchingCertificatePath_EachSignatureIsCheckedThenSent()
    {
        var (h, signer) = Start(certificatePath: true);
        using var harness = h;

        var token = await GetTokenAsync(h);

        Assert.Equal(h.Org.Url.Host, token.InstanceUrl.Host);
        Assert.Equal(1, signer.Calls);
        Assert.Equal(1, h.Org.Counters.TokensIssued);
    }

    [Fact]
    public async Task Signer_WrongKey_WithCertificatePath_ConfigurationErrorNamingTheSigner_SalesforceNotAsked()
    {
        var (h, signer) = Start(wrongKey: true, certificatePath: true);
        using var harness = h;

        var ex = await Assert.ThrowsAsync<SalesforceConfigurationException>(() => GetTokenAsync(h).AsTask());

        Assert.Equal(nameof(SalesforceJwtOptions.Signer), ex.OptionName);
        Assert.Equal(SalesforceErrorCode.InvalidSigningKey, ex.Code);
        Assert.Contains(nameof(CountingSigner), ex.Message, StringComparison.Ordinal);
        Assert.Contains("does not verify with the certificate set in CertificatePath", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, signer.Calls);
        Assert.Equal(0, h.Org.Counters.TokenRequests);
    }

    [Fact]
    public async Task Signer_WrongKey_WithoutCertificatePath_SalesforceAnswersInvalidAssertion()
    {
        var (h, _) = Start(wrongKey: true);
        using var harness = h;

        var ex = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => GetTokenAsync(h).AsTask());

        Assert.Equal(SalesforceErrorCode.InvalidAssertion, ex.Code);
        Assert.Equal(1, h.Org.Counters.TokenRequests);
    }

    [Fact]
    public async Task Signer_Throws_TypedErrorNamingTheSigner_WithItsExceptionInside_SalesforceNotAsked()
    {
        var (h, signer) = Start();
        using var harness = h;
        signer.Behaviour = CountingSigner.Mode.Throw;

        var ex = await Assert.ThrowsAsync<SalesforceTokenEndpointException>(() => GetTokenAsync(h).AsTask());

        Assert.Equal(SalesforceErrorCode.SignerFailed, ex.Code);
        Assert.Contains(typeof(CountingSigner).FullName!, ex.Message, StringComparison.Ordinal);
        Assert.Contains("access denied to key", ex.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(ex.InnerException);
        Assert.Null(ex.StatusCode);
        Assert.Equal(0, h.Org.Counters.TokenRequests);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Signer_Slow_FailsWhenTokenRequestTimeoutRunsOut_AndItsTokenIsCancelled(bool signerHonoursCancellation)
    {
        var (h, signer) = Start();
        using var harness = h;
        signer.Behaviour = signerHonoursCancellation ? CountingSigner.Mode.HangUntilCancelled : CountingSigner.Mode.HangIgnoringCancellation;

        var pending = GetTokenAsync(h).AsTask();
        await signer.Called.Task.WaitAsync(_ct);
        h.Clock.Advance(s_budget - TimeSpan.FromSeconds(1));
        Assert.False(pending.IsCompleted);
        Assert.False(signer.Tokens.Single().IsCancellationRequested);
        h.Clock.Advance(TimeSpan.FromSeconds(1));

        var ex = await Assert.ThrowsAsync<SalesforceTokenEndpointException>(() => pending);

        Assert.Equal(SalesforceErrorCode.SignerFailed, ex.Code);
        Assert.True(ex.IsTransient);
        Assert.Contains(typeof(CountingSigner).FullName!, ex.Message, StringComparison.Ordinal);
        Assert.Contains("TokenRequestTimeout (30 s)", ex.Message, StringComparison.Ordinal);
        Assert.True(signer.Tokens.Single().IsCancellationRequested);
        Assert.Equal(0, h.Org.Counters.TokenRequests);
    }

    [Fact]
    public async Task Signer_AfterAFailure_TheNextCallSignsAgainAndSucceeds()
    {
        var (h, signer) = Start();
        using var harness = h;
        signer.Behaviour = CountingSigner.Mode.Throw;
        await Assert.ThrowsAsync<SalesforceTokenEndpointException>(() => GetTokenAsync(h).AsTask());

        signer.Behaviour = CountingSigner.Mode.Sign;
        await GetTokenAsync(h);

        Assert.Equal(2, signer.Calls);
        Assert.Equal(1, h.Org.Counters.TokensIssued);
    }

    [Fact]
    public async Task Signer_ReturnsADigestInsteadOfASignature_TypedErrorSaysWhatToReturn()
    {
        var (h, signer) = Start();
        using var harness = h;
        signer.Behaviour = CountingSigner.Mode.ReturnDigest;

        var ex = await Assert.ThrowsAsync<SalesforceTokenEndpointException>(() => GetTokenAsync(h).AsTask());

        Assert.Equal(SalesforceErrorCode.SignerFailed, ex.Code);
        Assert.False(ex.IsTransient);
        Assert.Contains("returned 32 bytes", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Org.Counters.TokenRequests);
    }

    [Fact]
    public async Task Signer_ProviderDisposedWhileSigning_CancellationReachesTheSigner()
    {
        var (h, signer) = Start();
        using var harness = h;
        signer.Behaviour = CountingSigner.Mode.HangUntilCancelled;

        var pending = GetTokenAsync(h).AsTask();
        await signer.Called.Task.WaitAsync(_ct);
        h.Services.Dispose();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        Assert.True(signer.Tokens.Single().IsCancellationRequested);
    }
}
