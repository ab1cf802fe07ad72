using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SalesforceJwt.Tests.TestSupport;

/// <summary>Fresh test keys and certificates, made at run time so that no key is ever committed.</summary>
internal static class TestKeys
{
    private static readonly Lazy<RSA> s_shared = new(() => RSA.Create(2048));

    /// <summary>One 2048-bit key shared by tests that only need some valid key (key generation is slow).</summary>
    public static RSA Shared => s_shared.Value;

    public static X509Certificate2 SelfSigned(RSA key, string subject = "CN=SalesforceJwt test", DateTimeOffset? notAfter = null)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), notAfter ?? now.AddYears(1));
    }

    public static string WriteTemp(TempDirectory dir, string name, string text)
    {
        var path = Path.Combine(dir.Path, name);
        File.WriteAllText(path, text);
        return path;
    }

    public static string WriteTemp(TempDirectory dir, string name, byte[] bytes)
    {
        var path = Path.Combine(dir.Path, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}

internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("sfjwt-tests-").FullName;
    }

    public string Path { get; }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
