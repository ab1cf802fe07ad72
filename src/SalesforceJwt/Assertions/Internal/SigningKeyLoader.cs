using SalesforceJwt.Internal;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SalesforceJwt.Assertions.Internal;

/// <summary>Turns the key settings of <see cref="SalesforceJwtOptions"/> into an RSA key, or a precise error.</summary>
internal static class SigningKeyLoader
{
    public const int MinimumKeySize = 2048;

    private static readonly string[] s_keySourceNames =
    [
        nameof(SalesforceJwtOptions.PrivateKeyPath),
        nameof(SalesforceJwtOptions.CertificateThumbprint),
        nameof(SalesforceJwtOptions.Certificate),
        nameof(SalesforceJwtOptions.PrivateKey),
        nameof(SalesforceJwtOptions.Signer),
    ];

    /// <summary>Returns the names of the key sources that are set; a valid configuration has exactly one.</summary>
    public static IReadOnlyList<string> KeySourcesSet(SalesforceJwtOptions options)
    {
        var set = new List<string>(1);
        if (!string.IsNullOrWhiteSpace(options.PrivateKeyPath))
        {
            set.Add(s_keySourceNames[0]);
        }

        if (!string.IsNullOrWhiteSpace(options.CertificateThumbprint))
        {
            set.Add(s_keySourceNames[1]);
        }

        if (options.Certificate is not null)
        {
            set.Add(s_keySourceNames[2]);
        }

        if (options.PrivateKey is not null)
        {
            set.Add(s_keySourceNames[3]);
        }

        if (options.Signer is not null)
        {
            set.Add(s_keySourceNames[4]);
        }

        return set;
    }

    public static SigningKey Load(SalesforceJwtOptions options)
    {
        var key = LoadKey(options);
        if (options.CertificatePath is not { } certificatePath || string.IsNullOrWhiteSpace(certificatePath))
        {
            return key;
        }

        if (key.Signer is { } signer)
        {
            // A remote key cannot be compared here; each signature is verified with this certificate instead.
            var certificate = LoadCertificateFile(certificatePath);
            if (certificate.GetRSAPublicKey() is not { } publicKey)
            {
                certificate.Dispose();
                throw NotRsa(nameof(SalesforceJwtOptions.CertificatePath), $"The certificate '{certificatePath}'");
            }

            publicKey.Dispose();
            return new SigningKey(signer, certificate, ownsCertificate: true);
        }

        try
        {
            var uploaded = LoadCertificateFile(certificatePath);
            try
            {
                EnsureMatches(key, uploaded, nameof(SalesforceJwtOptions.CertificatePath), $"the certificate '{certificatePath}'");
            }
            catch
            {
                uploaded.Dispose();
                throw;
            }

            return new SigningKey(key.Rsa, key.OwnsKey, uploaded, ownsCertificate: true, previous: key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    private static X509Certificate2 LoadCertificateFile(string path)
    {
        const string Option = nameof(SalesforceJwtOptions.CertificatePath);
        try
        {
            var bytes = KeyFile.ReadAllBytes(path, Option, "certificate");
#if NET9_0_OR_GREATER
            return X509CertificateLoader.LoadCertificate(bytes);
#else
            return new X509Certificate2(bytes);
#endif
        }
        catch (Exception ex) when (ex is CryptographicException)
        {
            throw new SalesforceConfigurationException(Option,
                $"The certificate '{path}' set in {Option} cannot be read ({ex.GetType().Name}). Set it to the .crt (PEM or DER) uploaded to the connected app, or remove it.", ex);
        }
    }

    /// <summary>A key and certificate that do not pair make Salesforce answer "invalid assertion"; say so before it does.</summary>
    private static void EnsureMatches(SigningKey key, X509Certificate2 certificate, string option, string what)
    {
        using var publicKey = certificate.GetRSAPublicKey() ?? throw NotRsa(option, Capitalize(what));
        var expected = publicKey.ExportParameters(false);
        var actual = key.Rsa.ExportParameters(false);
        if (!expected.Modulus.AsSpan().SequenceEqual(actual.Modulus) || !expected.Exponent.AsSpan().SequenceEqual(actual.Exponent))
        {
            throw new SalesforceConfigurationException(option,
                $"The private key does not match {what} (subject {certificate.Subject}, thumbprint {certificate.Thumbprint}). " +
                "Salesforce would answer 'invalid assertion'. Use the key the certificate was made from, or upload a certificate made from this key.");
        }
    }

    private static SigningKey LoadKey(SalesforceJwtOptions options)
    {
        var sources = KeySourcesSet(options);
        if (sources.Count != 1)
        {
            throw new SalesforceConfigurationException(
                nameof(SalesforceJwtOptions.PrivateKeyPath),
                sources.Count == 0
                    ? "No signing key is configured. Set exactly one of PrivateKeyPath (PEM or PKCS#12 file), CertificateThumbprint (certificate store), Certificate, PrivateKey or Signer (in code)."
                    : $"More than one signing key is configured ({string.Join(", ", sources)}). Set exactly one.");
        }

        if (options.Signer is { } signer)
        {
            return new SigningKey(signer, certificate: null, ownsCertificate: false);
        }

        if (options.PrivateKey is { } rsa)
        {
            return Checked(new SigningKey(rsa, ownsKey: false), nameof(SalesforceJwtOptions.PrivateKey));
        }

        if (options.Certificate is { } certificate)
        {
            return FromCertificate(certificate, ownsCertificate: false, nameof(SalesforceJwtOptions.Certificate), "the certificate given in code");
        }

        if (options.CertificateThumbprint is { } thumbprint && !string.IsNullOrWhiteSpace(thumbprint))
        {
            return FromStore(thumbprint);
        }

        return FromFile(options.PrivateKeyPath!, options.PrivateKeyPassword);
    }

    private static SigningKey FromFile(string path, string? password)
    {
        const string Option = nameof(SalesforceJwtOptions.PrivateKeyPath);
        var bytes = KeyFile.ReadAllBytes(path, Option, "key");

        var text = TryDecodePem(bytes);
        return text is not null ? FromPem(path, text, password) : FromPkcs12(path, bytes, password);
    }

    private static string? TryDecodePem(byte[] bytes)
    {
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        return text.Contains("-----BEGIN ", StringComparison.Ordinal) ? text : null;
    }

    private static SigningKey FromPem(string path, string pem, string? password)
    {
        const string Option = nameof(SalesforceJwtOptions.PrivateKeyPath);
        if (pem.Contains("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal))
        {
            throw new SalesforceConfigurationException(Option,
                $"The key file '{path}' is a legacy encrypted PKCS#1 key, which .NET cannot read. Convert it to encrypted PKCS#8: openssl pkcs8 -topk8 -in old.key -out new.key");
        }

        if (!pem.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            throw new SalesforceConfigurationException(Option,
                $"The file '{path}' holds no private key (only a certificate or another PEM block). Set {Option} to the private key file, not the certificate uploaded to Salesforce.");
        }

        if (pem.Contains("BEGIN EC PRIVATE KEY", StringComparison.Ordinal))
        {
            throw NotRsa(Option, $"The key in '{path}'");
        }

        var rsa = RSA.Create();
        try
        {
            if (pem.Contains("BEGIN ENCRYPTED PRIVATE KEY", StringComparison.Ordinal))
            {
                if (string.IsNullOrEmpty(password))
                {
                    throw new SalesforceConfigurationException(nameof(SalesforceJwtOptions.PrivateKeyPassword),
                        $"The key file '{path}' is encrypted. Set PrivateKeyPassword to its password.");
                }

                try
                {
                    Pem.ImportPrivateKey(rsa, pem, password);
                }
                catch (CryptographicException ex)
                {
                    throw new SalesforceConfigurationException(nameof(SalesforceJwtOptions.PrivateKeyPassword),
                        $"The key file '{path}' could not be decrypted: PrivateKeyPassword is wrong, or the key is not RSA.", ex);
                }
            }
            else
            {
                try
                {
                    Pem.ImportPrivateKey(rsa, pem, password: null);
                }
                catch (CryptographicException ex)
                {
                    throw new SalesforceConfigurationException(Option,
                        $"The key in '{path}' could not be read as an RSA private key (PKCS#1 'RSA PRIVATE KEY' or PKCS#8 'PRIVATE KEY'). It may be damaged, or not RSA: Salesforce accepts only RSA keys.", ex);
                }
            }

            var key = Checked(new SigningKey(rsa, ownsKey: true), Option);
            if (pem.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                // A bundle of certificate and key: check that they belong together.
                using var certificate = Pem.Certificate(pem);
                EnsureMatches(key, certificate, Option, $"the certificate in '{path}'");
            }

            return key;
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    private static SigningKey FromPkcs12(string path, byte[] bytes, string? password)
    {
        X509Certificate2 certificate;
        try
        {
#if NET9_0_OR_GREATER
            certificate = X509CertificateLoader.LoadPkcs12(bytes, password, KeyStorageFlags);
#else
            certificate = new X509Certificate2(bytes, password, KeyStorageFlags);
#endif
        }
        catch (CryptographicException ex)
        {
            throw new SalesforceConfigurationException(
                string.IsNullOrEmpty(password) ? nameof(SalesforceJwtOptions.PrivateKeyPath) : nameof(SalesforceJwtOptions.PrivateKeyPassword),
                $"The file '{path}' is neither a PEM key nor a PKCS#12 file that opens with the configured PrivateKeyPassword. " +
                "Check the password, or set PrivateKeyPath to the right file.", ex);
        }

        return FromCertificate(certificate, ownsCertificate: true, nameof(SalesforceJwtOptions.PrivateKeyPath), $"the PKCS#12 file '{path}'");
    }

    // Keys stay in memory where the platform allows; macOS and .NET Framework 4.6.2 do not.
#if NET5_0_OR_GREATER
    private static X509KeyStorageFlags KeyStorageFlags =>
        OperatingSystem.IsMacOS() ? X509KeyStorageFlags.DefaultKeySet : X509KeyStorageFlags.EphemeralKeySet;
#else
    private static X509KeyStorageFlags KeyStorageFlags => X509KeyStorageFlags.DefaultKeySet;
#endif

    private static SigningKey FromStore(string thumbprint)
    {
        const string Option = nameof(SalesforceJwtOptions.CertificateThumbprint);

        // Thumbprints copied from the Windows certificate dialog carry spaces and an invisible left-to-right mark.
        var normalized = new string(thumbprint.Where(Uri.IsHexDigit).ToArray()).ToUpperInvariant();
        if (normalized.Length != 40)
        {
            throw new SalesforceConfigurationException(Option, $"{Option} must be the 40 hexadecimal digits of a SHA-1 certificate thumbprint.");
        }

        foreach (var location in new[] { StoreLocation.CurrentUser, StoreLocation.LocalMachine })
        {
            using var store = new X509Store(StoreName.My, location);
            try
            {
                store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
            }
            catch (CryptographicException)
            {
                continue;
            }

            var found = store.Certificates.Find(X509FindType.FindByThumbprint, normalized, validOnly: false);
            try
            {
                if (found.Count > 0)
                {
                    var certificate = found[0];
                    return FromCertificate(certificate, ownsCertificate: true, Option, $"the certificate {normalized} in {location}\\My");
                }
            }
            finally
            {
                foreach (var other in found.Cast<X509Certificate2>().Skip(1))
                {
                    other.Dispose();
                }
            }
        }

        throw new SalesforceConfigurationException(Option,
            $"No certificate with thumbprint {normalized} was found in the CurrentUser\\My or LocalMachine\\My store. Import the certificate with its private key, or fix {Option}.");
    }

    private static SigningKey FromCertificate(X509Certificate2 certificate, bool ownsCertificate, string option, string source)
    {
        try
        {
            if (!certificate.HasPrivateKey)
            {
                throw new SalesforceConfigurationException(option,
                    $"{Capitalize(source)} has no private key. Use the certificate together with its private key (a PKCS#12 file, or the store entry created when the key was imported).");
            }

            var rsa = certificate.GetRSAPrivateKey() ?? throw NotRsa(option, Capitalize(source));
            return Checked(new SigningKey(rsa, ownsKey: true, certificate, ownsCertificate), option);
        }
        catch when (ownsCertificate)
        {
            certificate.Dispose();
            throw;
        }
    }

    /// <summary>Rejects short keys and keys that cannot sign (a public key alone, or an unusable provider).</summary>
    private static SigningKey Checked(SigningKey key, string option)
    {
        if (key.Rsa.KeySize < MinimumKeySize)
        {
            key.Dispose();
            throw new SalesforceConfigurationException(option,
                $"The RSA key configured in {option} has {key.Rsa.KeySize} bits; Salesforce needs at least {MinimumKeySize}. Create a new key: openssl req -x509 -newkey rsa:2048 ...");
        }

        try
        {
            key.Rsa.SignData([0], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException ex)
        {
            key.Dispose();
            throw new SalesforceConfigurationException(option,
                $"The key configured in {option} cannot sign: it is a public key only, or its provider refused. Configure the private key.", ex);
        }

        return key;
    }

    private static SalesforceConfigurationException NotRsa(string option, string what) =>
        new(option, $"{what} is not an RSA key. Salesforce's JWT bearer flow accepts only RSA keys of at least {MinimumKeySize} bits: openssl req -x509 -newkey rsa:2048 ...");

    private static string Capitalize(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
