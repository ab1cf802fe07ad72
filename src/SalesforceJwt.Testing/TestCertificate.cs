using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SalesforceJwt.Testing;

/// <summary>Makes fresh RSA keys and self-signed certificates for tests, so that no key is ever committed.</summary>
public static class TestCertificate
{
    /// <summary>Creates a self-signed certificate with a new RSA private key, valid from yesterday until <paramref name="validFor"/> from now.</summary>
    /// <param name="subject">The subject name.</param>
    /// <param name="keySize">The RSA key size in bits. Salesforce needs at least 2048.</param>
    /// <param name="validFor">How long from now it stays valid; negative for an expired certificate. Defaults to a year.</param>
    /// <param name="timeProvider">The clock that says what now is; defaults to the system clock.</param>
    /// <returns>The certificate with its private key. Dispose it when done.</returns>
    public static X509Certificate2 Create(string subject = "CN=SalesforceJwt test", int keySize = 2048, TimeSpan? validFor = null, TimeProvider? timeProvider = null)
    {
        using var rsa = RSA.Create(keySize);
        var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = (timeProvider ?? TimeProvider.System).GetUtcNow();
        var notAfter = now + (validFor ?? TimeSpan.FromDays(365));
        using var created = request.CreateSelfSigned(notAfter.AddDays(-2) < now.AddDays(-1) ? notAfter.AddDays(-2) : now.AddDays(-1), notAfter);

        // Round-trip through PKCS#12 so the key is usable on every platform (an ephemeral CNG key is not on Windows).
#if NET9_0_OR_GREATER
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
#else
        return new X509Certificate2(created.Export(X509ContentType.Pkcs12), (string?)null, X509KeyStorageFlags.Exportable);
#endif
    }
}
