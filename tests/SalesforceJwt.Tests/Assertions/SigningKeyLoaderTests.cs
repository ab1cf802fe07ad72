using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SalesforceJwt.Assertions.Internal;
using SalesforceJwt.Tests.TestSupport;

namespace SalesforceJwt.Tests.Assertions;

public sealed partial class SigningKeyLoaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static SalesforceJwtOptions Options(Action<SalesforceJwtOptions> set)
    {
        var options = new SalesforceJwtOptions { ConsumerKey = "k", Username = "u" };
        set(options);
        return options;
    }

    private static void AssertSameKey(RSA expected, SigningKey loaded) =>
        Assert.Equal(expected.ExportParameters(false).Modulus, loaded.Rsa.ExportParameters(false).Modulus);

    [Fact]
    public void Load_Pkcs1Pem_Loads()
    {
        var path = TestKeys.WriteTemp(_dir, "key.pem", TestKeys.Shared.ExportRSAPrivateKeyPem());
        using var key = SigningKeyLoader.Load(Options(o => o.PrivateKeyPath = path));
        AssertSameKey(TestKeys.Shared, key);
    }

    [Fact]
    public void Load_Pkcs8Pem_Loads()
    {
        var path = TestKeys.WriteTemp(_dir, "key.pem", TestKeys.Shared.ExportPkcs8PrivateKeyPem());
        using var key = SigningKeyLoader.Load(Options(o => o.PrivateKeyPath = path));
        AssertSameKey(TestKeys.Shared, key);
    }

    [Fact]
    public void Load_EncryptedPkcs8PemWithPassword_Loads()
    {
        var pem = TestKeys.Shared.ExportEncryptedPkcs8PrivateKeyPem("s3cret".AsSpan(),
            new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10_000));
        var path = TestKeys.WriteTemp(_dir, "key.pem", pem);
        using var key = SigningKeyLoader.Load(Options(o => { o.PrivateKeyPath = path; o.PrivateKeyPassword = "s3cret"; }));
        AssertSameKey(TestKeys.Shared, key);
    }

    [Fact]
    public void Load_PemWithCertificateAndKey_LoadsTheKey()
    {
        using var certificate = TestKeys.SelfSigned(TestKeys.Shared);
        var path = TestKeys.WriteTemp(_dir, "both.pem", certificate.ExportCertificatePem() + "\n" + TestKeys.Shared.ExportPkcs8PrivateKeyPem());
        using var key = SigningKeyLoader.Load(Options(o => o.PrivateKeyPath = path));
        AssertSameKey(TestKeys.Shared, key);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("p12-password")]
    public void Load_Pkcs12_Loads(string? password)
    {
        using var certificate = TestKeys.SelfSigned(TestKeys.Shared);
        var path = TestKeys.WriteTemp(_dir, "key.pfx", certificate.Export(X509ContentType.Pkcs12, password));
        using var key = SigningKeyLoader.Load(Options(o => { o.PrivateKeyPath = path; o.PrivateKeyPassword = password; }));
        AssertSameKey(TestKeys.Shared, key);
        Assert.NotNull(key.Certificate);
    }

    [Fact]
    public void Load_CertificateInCode_Loads_AndLeavesItUsable()
    {
        using var certificate = TestKeys.SelfSigned(TestKeys.Shared);
        using (var key = SigningKeyLoader.Load(Options(o => o.Certificate = certificate)))
        {
            AssertSameKey(TestKeys.Shared, key);
        }

        Assert.True(certificate.HasPrivateKey);
        Assert.NotNull(certificate.GetRSAPrivateKey());
    }

    [Fact]
    public void Load_RsaInCode_Loads_AndIsNotDisposed()
    {
        using var rsa = RSA.Create(2048);
        SigningKeyLoader.Load(Options(o => o.PrivateKey = rsa)).Dispose();
        Assert.NotEmpty(rsa.SignData([1, 2, 3], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public void Load_Thumbprint_FindsTheCertificateInTheCurrentUserStore()
    {
        using var certificate = TestKeys.SelfSigned(TestKeys.Shared, "CN=SalesforceJwt store test " + Guid.NewGuid());
        using var persisted = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.PersistKeySet | X509KeyStorageFlags.Exportable);
        using var store = new X509Store(StoreName.My, StoreLocation.CurrentUser);
        store.Open(OpenFlags.ReadWrite);
        store.Add(persisted);
        try
        {
            // Thumbprints pasted from the Windows dialog carry spaces and lower case.
            var pasted = string.Join(' ', persisted.Thumbprint.ToLowerInvariant().Chunk(2).Select(c => new string(c)));
            using var key = SigningKeyLoader.Load(Options(o => o.CertificateThumbprint = pasted));
            AssertSameKey(TestKeys.Shared, key);
        }
        finally
        {
            store.Remove(persisted);
        }
    }

    [Fact]
    public void Load_UnknownThumbprint_NamesTheOptionAndTheStores()
    {
        var ex = Assert.Throws<SalesforceConfigurationException>(() => SigningKeyLoader.Load(Options(o => o.CertificateThumbprint = new string('A', 40))));
        Assert.Equal("CertificateThumbprint", ex.OptionName);
        Assert.Contains("CurrentUser\\My", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_NamesTheOptionAndThePath()
    {
        var path = Path.Combine(_dir.Path, "nope.pem");
        var ex = Assert.Throws<SalesforceConfigurationException>(() => SigningKeyLoader.Load(Options(o => o.PrivateKeyPath = path)));
        Assert.Equal("PrivateKeyPath", ex.OptionName);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
        Assert.Equal(SalesforceErrorCode.InvalidSigningKey, ex.Code);
    }

    [Fact]
    public void Load_CertificatePemWithoutKey_SaysTheFileHoldsNoPrivateKey()
    {
        using var certificate = TestKeys.SelfSigned(TestKeys.Shared);
        var path = TestKeys.WriteTemp(_dir, "cert.pem", certificate.ExportCertificatePem());
        var ex = Assert.Throws<SalesforceConfigurationException>(() => SigningKeyLoader.Load(Options(o => o.PrivateKeyPath = path)));
        Assert.Equal("PrivateKeyPath", ex.OptionName);
        Assert.Contains("no private key", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CertificateInCodeWithoutPrivateKey_Fails()
    {
        using var withKey = TestKeys.SelfSigned(TestKeys.Shared);
        using var publicOnly = X509CertificateLoader.LoadCertificate(withKey.RawData);
        var ex = Assert.Throws<SalesforceConfigurationException>(() => SigningKeyLoader.Load(Options(o => o.Certificate = publicOnly)));
        Assert.Equal("Certificate", ex.OptionName);
        Assert.Contains("has no private key", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Pkcs12WithoutPrivateKey_Fails()
    {
        using var withKey = TestKeys.SelfSigned(TestKeys.Shared);
        using var publicOnly = X509CertificateLoader.LoadCertificate(withKey.RawData);
        var path = TestKeys.WriteTemp(_dir, "nokey.pfx", publicOnly.Export(X509ContentType.Pkcs12));
        var ex = Assert.Throws<SalesforceConfigurationException>(() => SigningKeyLoader.Load(Options(o => o.PrivateKeyPath = path)));
        Assert.Contains("has no private key", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EcKeyPem_SaysOnlyRsaIsAccepted()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        foreach (var pem in new[] { ec.ExportECPrivateKeyPem(), ec.ExportPkcs8PrivateKeyPem() })
        {
            var path = TestKeys.WriteTemp(_dir, "ec.pem", pem);
            var ex = Assert.Throws<SalesforceConfigurationException>(() => SigningKeyLoader.Load(Options(o => o.PrivateKeyPath = path)));
            Assert.Contains("RSA", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Load_EcCertificate_SaysOnlyRsaIsAccepted()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=ec", ec, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var ex = Assert.Throws<SalesforceConfigurationException>(() => SigningKeyLoader.Load(Options(o => o.Certificate = certificate)));
        Assert.Contains("is not an RSA key", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_1024BitKey_SaysAtLeast2048()
    {
        using var small = RSA.Create(1024);
        var path = TestKeys.WriteTemp(_dir, "small.pem", small.ExportPkcs8PrivateKeyPem());
        var ex = Assert.Throws<SalesforceConfigurationException>(() => SigningKeyLoader.Load(Options(o => o.PrivateKeyPath = path)));
        Assert.Contains("1024 bits", ex.Message, StringComparison.Ordinal);
        Assert.Contains("2048", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PublicKeyOnlyRsa_SaysItCannotSign()
    {
        using var publicOnly = RSA.Create();
        publicOnly.ImportParameters(TestKeys.Shared.ExportParameters(false));
        var ex = Assert.Throws<SalesforceConfigurationException>(() => SigningKeyLoader.Load(Options(o => o.PrivateKey = publicOnly)));
        Assert.Contains("cannot sign", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EncryptedPemWithWrongPassword_NamesThePasswordOption()
    {
        var pem = TestKeys.Shared.ExportEncryptedPkcs8PrivateKeyPem("right".AsSpan(),
            new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10_000));
        var path = TestKeys.WriteTemp(_dir, "key.pem", pem);
        var ex = Assert.Throws<SalesforceConfigurationException>(() => SigningKeyLoader.Load(Options(o => { o.PrivateKeyPath = path; o.PrivateKeyPassword = "wrong"; })));
        Assert.Equal("PrivateKeyPassword", ex.OptionName);
        Assert.DoesNotContain("wrong", ex.Message.Replace("is wrong", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EncryptedPemWithoutPassword_AsksForIt()
    {
        var pem = TestKeys.Shared.ExportEncryptedPkcs8PrivateKeyPem("right".AsSpan(),
            new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10_000));
        var path = TestKeys.WriteTemp(_dir, "key.pem", pem);
        var ex = Assert.Throws<SalesforceConfigurationException>(() => SigningKeyLoader.Load(Options(o => o.PrivateKeyPath = path)));
        Assert.Equal("PrivateKeyPassword", ex.OptionName);
        Assert.Contains("encrypted", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Pkcs12WithWrongPassword_NamesThePasswordOption()
    {
        using var certificate = TestKeys.SelfSigned(TestKeys.Shared);
        var path = TestKeys.WriteTemp(_dir, "key.pfx", certificate.Export(X509ContentType.Pkcs12, "right"));
        var ex = Assert.Throws<SalesforceConfigurationException>(() => SigningKeyLoader.Load(Options(o => { o.PrivateKeyPath = path; o.PrivateKeyPassword = "wrong"; })));
        Assert.Equal("PrivateKeyPassword", ex.OptionName);
    }

    [Fact]
    public void Load_GarbageFile_SaysItIsNeitherPemNorPkcs12()
    {
        var path = TestKeys.WriteTemp(_dir, "garbage.bin", [1, 2, 3, 4, 5]);
        var ex = Assert.Throws<SalesforceConfigurationException>(() => SigningKeyLoader.Load(Options(o => o.PrivateKeyPath = path)));
        Assert.Contains("neither a PEM key nor a PKCS#12", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CertificatePathThatMatchesTheKey_LoadsAndKeepsTheCertificate()
    {
        using var certificate = TestKeys.SelfSigned(TestKeys.Shared);
        var keyPath = TestKeys.WriteTemp(_dir, "key.pem", TestKeys.Shared.ExportPkcs8PrivateKeyPem());
        var certPath = TestKeys.WriteTemp(_dir, "server.crt", certificate.ExportCertificatePem());

        using var key = SigningKeyLoader.Load(Options(o => { o.PrivateKeyPath = keyPath; o.CertificatePath = certPath; }));

        Assert.Equal(certificate.Thumbprint, key.Certificate!.Thumbprint);
    }

    [Fact]
    public void Load_CertificatePathOfAnotherKey_SaysTheyDoNotMatch()
    {
        using var other = RSA.Create(2048);
        using var certificate = TestKeys.SelfSigned(other);
        var keyPath = TestKeys.WriteTemp(_dir, "key.pem", TestKeys.Shared.ExportPkcs8PrivateKeyPem());
        var certPath = TestKeys.WriteTemp(_dir, "server.crt", certificate.Export(X509ContentType.Cert));

        var ex = Assert.Throws<SalesforceConfigurationException>(() => SigningKeyLoader.Load(Options(o => { o.PrivateKeyPath = keyPath; o.CertificatePath = certPath; })));

        Assert.Equal("CertificatePath", ex.OptionName);
        Assert.Contains("does not match", ex.Message, StringComparison.Ordinal);
        Assert.Contains("invalid assertion", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CertificatePathForAKeyInCode_LeavesTheCallersKeyUndisposed()
    {
        using var rsa = RSA.Create(2048);
        using var certificate = TestKeys.SelfSigned(rsa);
        var certPath = TestKeys.WriteTemp(_dir, "server.crt", certificate.ExportCertificatePem());

        SigningKeyLoader.Load(Options(o => { o.PrivateKey = rsa; o.CertificatePath = certPath; })).Dispose();

        Assert.NotEmpty(rsa.SignData([1], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public void Load_PemBundleWhoseCertificateIsOfAnotherKey_SaysTheyDoNotMatch()
    {
        using var other = RSA.Create(2048);
        using var certificate = TestKeys.SelfSigned(other);
        var path = TestKeys.WriteTemp(_dir, "bundle.pem", certificate.ExportCertificatePem() + "\n" + TestKeys.Shared.ExportPkcs8PrivateKeyPem());

        var ex = Assert.Throws<SalesforceConfigurationException>(() => SigningKeyLoader.Load(Options(o => o.PrivateKeyPath = path)));

        Assert.Equal("PrivateKeyPath", ex.OptionName);
        Assert.Contains("does not match", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NoKeySource_ListsTheChoices()
    {
        var ex = Assert.Throws<SalesforceConfigurationException>(() => SigningKeyLoader.Load(Options(_ => { })));
        Assert.Contains("PrivateKeyPath", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CertificateThumbprint", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TwoKeySources_SaysSetExactlyOne()
    {
        using var certificate = TestKeys.SelfSigned(TestKeys.Shared);
        var ex = Assert.Throws<SalesforceConfigurationException>(() => SigningKeyLoader.Load(Options(o => { o.PrivateKey = TestKeys.Shared; o.Certificate = certificate; })));
        Assert.Contains("exactly one", ex.Message, StringComparison.Ordinal);
    }
}
