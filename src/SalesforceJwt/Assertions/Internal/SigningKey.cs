using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SalesforceJwt.Assertions.Internal;

/// <summary>An RSA private key ready to sign, with the certificate it came from when there was one.</summary>
internal sealed class SigningKey : IDisposable
{
    private readonly bool _ownsKey;
    private readonly X509Certificate2? _ownedCertificate;

    public SigningKey(RSA rsa, bool ownsKey, X509Certificate2? certificate = null, bool ownsCertificate = false)
    {
        Rsa = rsa;
        _ownsKey = ownsKey;
        Certificate = certificate;
        _ownedCertificate = ownsCertificate ? certificate : null;
    }

    public RSA Rsa { get; }

    /// <summary>The certificate the key came from, if any; kept for expiry checks.</summary>
    public X509Certificate2? Certificate { get; }

    public void Dispose()
    {
        if (_ownsKey)
        {
            Rsa.Dispose();
        }

        _ownedCertificate?.Dispose();
    }
}
