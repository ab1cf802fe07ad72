using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
#if NETSTANDARD2_0
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Security;
#endif

namespace SalesforceJwt.Assertions.Internal;

/// <summary>
/// Reads RSA keys (PKCS#1, PKCS#8, encrypted PKCS#8) and certificates from PEM text: with the platform on modern .NET,
/// with BouncyCastle on .NET Standard 2.0, which has no PEM support. Failures surface as <see cref="CryptographicException"/>.
/// </summary>
internal static class Pem
{
    public static void ImportPrivateKey(RSA rsa, string pem, string? password)
    {
#if NET5_0_OR_GREATER
        try
        {
            if (password is null)
            {
                rsa.ImportFromPem(pem);
            }
            else
            {
                rsa.ImportFromEncryptedPem(pem, password);
            }
        }
        catch (ArgumentException ex)
        {
            throw new CryptographicException(ex.Message, ex);
        }
#else
        RsaPrivateCrtKeyParameters? key = null;
        try
        {
            using var reader = new PemReader(new StringReader(pem), password is null ? null : new Password(password));
            while (reader.ReadObject() is { } item)
            {
                var candidate = item switch
                {
                    AsymmetricCipherKeyPair pair => pair.Private,
                    AsymmetricKeyParameter { IsPrivate: true } single => single,
                    _ => null,
                };
                if (candidate is not null)
                {
                    key = candidate as RsaPrivateCrtKeyParameters ?? throw new CryptographicException("The key is not an RSA key.");
                }
            }
        }
        catch (Exception ex) when (ex is not CryptographicException)
        {
            throw new CryptographicException(ex.Message, ex);
        }

        rsa.ImportParameters(DotNetUtilities.ToRSAParameters(key ?? throw new CryptographicException("No private key was found.")));
#endif
    }

    public static X509Certificate2 Certificate(string pem)
    {
#if NET5_0_OR_GREATER
        return X509Certificate2.CreateFromPem(pem);
#else
        try
        {
            using var reader = new PemReader(new StringReader(pem));
            while (reader.ReadObject() is { } item)
            {
                if (item is Org.BouncyCastle.X509.X509Certificate certificate)
                {
                    return new X509Certificate2(certificate.GetEncoded());
                }
            }
        }
        catch (Exception ex) when (ex is not CryptographicException)
        {
            throw new CryptographicException(ex.Message, ex);
        }

        throw new CryptographicException("No certificate was found.");
#endif
    }

#if NETSTANDARD2_0
    private sealed class Password(string password) : IPasswordFinder
    {
        public char[] GetPassword() => password.ToCharArray();
    }
#endif
}
