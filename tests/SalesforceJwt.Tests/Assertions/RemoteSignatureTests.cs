using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SalesforceJwt.Assertions.Internal;
using SalesforceJwt.Tests.TestSupport;

namespace SalesforceJwt.Tests.Assertions;

/// <summary>The remote signing path alone, on a fake clock (also run against the netstandard2.0 build).</summary>
public sealed class RemoteSignatureTests : IDisposable
{
    private static readonly TimeSpan s_budget = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero));
    private readonly TempDirectory _dir = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    private ValueTask<string> BuildAsync(SigningKey key, CancellationToken cancellationToken) =>
        new JwtAssertionBuilder(key, _clock).BuildAsync("3MVG9-key", "integration@acme.com", "https://login.salesforce.com",
            TimeSpan.FromMinutes(2), s_budget, "Salesforce", NullLogger.Instance, cancellationToken);

    private SigningKey Remote(CountingSigner signer, RSA? certificateKey = null)
    {
        if (certificateKey is null)
        {
            return SigningKeyLoader.Load(new SalesforceJwtOptions { ConsumerKey = "k", Username = "u", Signer = signer });
        }

        using var certificate = TestKeys.SelfSigned(certificateKey);
        var path = TestKeys.WriteTemp(_dir, "uploaded.crt", certificate.ExportCertificatePem());
        return SigningKeyLoader.Load(new SalesforceJwtOptions { ConsumerKey = "k", Username = "u", Signer = signer, CertificatePath = path });
    }

    [Fact]
    public async Task BuildAsync_Signer_SignsTheJwsSigningInputOnce_AndTheResultVerifies()
    {
        using var vaultKey = RSA.Create(2048);
        var signer = new CountingSigner(vaultKey);
        using var key = Remote(signer);

        var jwt = await BuildAsync(key, _ct);

        Assert.Equal(1, signer.Calls);
        Assert.True(JwtParts.Verifies(jwt, vaultKey));
        var payload = JwtParts.Decode(jwt).Payload;
        Assert.Equal(["aud", "exp", "iss", "sub"], JwtParts.PropertyNames(payload));
        Assert.Equal(_clock.GetUtcNow().AddMinutes(2).ToUnixTimeSeconds(), payload.GetProperty("exp").GetInt64());
    }

    [Fact]
    public async Task BuildAsync_SignerMatchingCertificatePath_Passes()
    {
        using var vaultKey = RSA.Create(2048);
        using var key = Remote(new CountingSigner(vaultKey), certificateKey: vaultKey);

        Assert.True(JwtParts.Verifies(await BuildAsync(key, _ct), vaultKey));
    }

    [Fact]
    public async Task BuildAsync_SignerWithAnotherKeyThanCertificatePath_ConfigurationErrorNamingTheSigner()
    {
        using var certificateKey = RSA.Create(2048);
        using var key = Remote(new CountingSigner(TestKeys.Shared), certificateKey);

        var ex = await Assert.ThrowsAsync<SalesforceConfigurationException>(() => BuildAsync(key, _ct).AsTask());

        Assert.Equal(nameof(SalesforceJwtOptions.Signer), ex.OptionName);
        Assert.Contains(typeof(CountingSigner).FullName!, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildAsync_SignerThrows_SignerFailedWithItsExceptionInside()
    {
        using var key = Remote(new CountingSigner(TestKeys.Shared) { Behaviour = CountingSigner.Mode.Throw });

        var ex = await Assert.ThrowsAsync<SalesforceTokenEndpointException>(() => BuildAsync(key, _ct).AsTask());

        Assert.Equal(SalesforceErrorCode.SignerFailed, ex.Code);
        Assert.IsType<InvalidOperationException>(ex.InnerException);
        Assert.Contains(typeof(CountingSigner).FullName!, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task BuildAsync_SlowSigner_FailsWhenTheBudgetRunsOut_NotBefore(bool signerHonoursCancellation)
    {
        var signer = new CountingSigner(TestKeys.Shared)
        {
            Behaviour = signerHonoursCancellation ? CountingSigner.Mode.HangUntilCancelled : CountingSigner.Mode.HangIgnoringCancellation,
        };
        using var key = Remote(signer);

        var pending = BuildAsync(key, _ct).AsTask();
        await signer.Called.Task.WaitAsync(_ct);
        _clock.Advance(s_budget - TimeSpan.FromMilliseconds(1));
        Assert.False(pending.IsCompleted);
        _clock.Advance(TimeSpan.FromMilliseconds(1));

        var ex = await Assert.ThrowsAsync<SalesforceTokenEndpointException>(() => pending);
        Assert.Equal(SalesforceErrorCode.SignerFailed, ex.Code);
        Assert.Contains("did not sign within TokenRequestTimeout", ex.Message, StringComparison.Ordinal);
        Assert.True(signer.Tokens.Single().IsCancellationRequested);
    }

    [Fact]
    public async Task BuildAsync_CallerCancels_CancellationReachesTheSigner_AndIsNotReportedAsAFailure()
    {
        var signer = new CountingSigner(TestKeys.Shared) { Behaviour = CountingSigner.Mode.HangUntilCancelled };
        using var key = Remote(signer);
        using var stop = new CancellationTokenSource();

        var pending = BuildAsync(key, stop.Token).AsTask();
        await signer.Called.Task.WaitAsync(_ct);
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        Assert.True(signer.Tokens.Single().IsCancellationRequested);
    }

    [Fact]
    public async Task BuildAsync_SignerReturnsADigest_SignerFailedSayingWhatToReturn()
    {
        using var key = Remote(new CountingSigner(TestKeys.Shared) { Behaviour = CountingSigner.Mode.ReturnDigest });

        var ex = await Assert.ThrowsAsync<SalesforceTokenEndpointException>(() => BuildAsync(key, _ct).AsTask());

        Assert.Equal(SalesforceErrorCode.SignerFailed, ex.Code);
        Assert.Contains("returned 32 bytes", ex.Message, StringComparison.Ordinal);
        Assert.Contains("raw RSASSA-PKCS1-v1_5 SHA-256 signature", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SignerAndAnotherKeySource_FailsNamingBoth()
    {
        using var rsa = RSA.Create(2048);
        var options = new SalesforceJwtOptions { ConsumerKey = "k", Username = "u", PrivateKey = rsa, Signer = new CountingSigner(rsa) };

        var ex = Assert.Throws<SalesforceConfigurationException>(() => SigningKeyLoader.Load(options));

        Assert.Contains("PrivateKey, Signer", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SignerAlone_LoadsWithoutCallingIt()
    {
        var signer = new CountingSigner(TestKeys.Shared);

        using var key = SigningKeyLoader.Load(new SalesforceJwtOptions { ConsumerKey = "k", Username = "u", Signer = signer });

        Assert.Same(signer, key.Signer);
        Assert.Equal(0, signer.Calls);
    }

    [Fact]
    public void Load_SignerWithAMissingCertificatePath_FailsNamingCertificatePath()
    {
        var options = new SalesforceJwtOptions
        {
            ConsumerKey = "k",
            Username = "u",
            Signer = new CountingSigner(TestKeys.Shared),
            CertificatePath = Path.Combine(_dir.Path, "missing.crt"),
        };

        var ex = Assert.Throws<SalesforceConfigurationException>(() => SigningKeyLoader.Load(options));

        Assert.Equal(nameof(SalesforceJwtOptions.CertificatePath), ex.OptionName);
    }
}
