using SalesforceJwt.Assertions.Internal;

namespace SalesforceJwt.Diagnostics.Internal;

/// <summary>What is known of a connection's certificate: nothing when only a private key is configured.</summary>
internal sealed record CertificateStatus(string Connection, string KeySource, DateTimeOffset? NotAfter, string? Subject, string? Thumbprint)
{
    public bool HasCertificate => NotAfter is not null;

    public static CertificateStatus From(string connection, SalesforceJwtOptions options, SigningKey key)
    {
        var source = SigningKeyLoader.KeySourcesSet(options) is [var only] ? only : "?";
        if (!string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            source += " and CertificatePath";
        }

        return key.Certificate is { } certificate
            ? new CertificateStatus(connection, source, new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero), certificate.Subject, certificate.Thumbprint)
            : new CertificateStatus(connection, source, null, null, null);
    }

    /// <summary>Whole days left (negative once expired), rounded down.</summary>
    public int DaysLeft(DateTimeOffset now) => (int)Math.Floor((NotAfter!.Value - now).TotalDays);
}
