using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SalesforceJwt.Assertions.Internal;

/// <summary>
/// An RSA private key ready to sign, or a remote <see cref="ISalesforceAssertionSigner"/>, with the certificate it came
/// from (or, for a signer, the one its signatures must verify with) when there was one.
/// </summary>
internal sealed class SigningKey : IDisposable
{
    private readonly RSA? _rsa;
    private readonly bool _ownsKey;
    private readonly X509Certificate2? _ownedCertificate;
    private readonly SigningKey? _previous;

    /// <param name="rsa">The key.</param>
    /// <param name="ownsKey">Whether disposing this disposes the key.</param>
    /// <param name="certificate">The certificate the key belongs to, if known.</param>
    /// <param name="ownsCertificate">Whether disposing this disposes the certificate.</param>
    /// <param name="previous">A key holder this one replaces and must dispose (its certificate, not its key).</param>
    public SigningKey(RSA rsa, bool ownsKey, X509Certificate2? certificate = null, bool ownsCertificate = false, SigningKey? previous = null)
    {
        _rsa = rsa;
        _ownsKey = ownsKey;
        Certificate = certificate;
        _ownedCertificate = ownsCertificate ? certificate : null;
        _previous = previous;
    }

    /// <param name="signer">The remote signer.</param>
    /// <param name="certificate">The certificate its signatures must verify with, if configured.</param>
    /// <param name="ownsCertificate">Whether disposing this disposes the certificate.</param>
    public SigningKey(ISalesforceAssertionSigner signer, X509Certificate2? certificate, bool ownsCertificate)
    {
        Signer = signer;
        Certificate = certificate;
        _ownedCertificate = ownsCertificate ? certificate : null;
    }

    /// <summary>The local private key; only when <see cref="Signer"/> is <see langword="null"/>.</summary>
    public RSA Rsa => _rsa ?? throw new InvalidOperationException("This connection signs with a remote signer; it has no local key.");

    /// <summary>The remote signer, when the key never enters the process.</summary>
    public ISalesforceAssertionSigner? Signer { get; }

    public bool OwnsKey => _ownsKey;

    /// <summary>The certificate the key came from, if any; kept for expiry checks.</summary>
    public X509Certificate2? Certificate { get; }

    public void Dispose()
    {
        if (_ownsKey)
        {
            _rsa?.Dispose();
        }

        _ownedCertificate?.Dispose();
        _previous?.DisposeCertificate();
    }

    private void DisposeCertificate() => _ownedCertificate?.Dispose();
}
