using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SalesforceJwt.Tests.TestSupport;

/// <summary>Reads and verifies a compact JWT by hand, independently of the library's IdentityModel code.</summary>
internal static class JwtParts
{
    public static (JsonElement Header, JsonElement Payload) Decode(string jwt)
    {
        var parts = jwt.Split('.');
        Assert.Equal(3, parts.Length);
        return (JsonDocument.Parse(Base64UrlDecode(parts[0])).RootElement, JsonDocument.Parse(Base64UrlDecode(parts[1])).RootElement);
    }

    /// <summary>The assertion posted in a token request's form body.</summary>
    public static string AssertionInForm(string formBody) => System.Web.HttpUtility.ParseQueryString(formBody)["assertion"]!;

    /// <summary>A string claim of the assertion posted in a token request's form body.</summary>
    public static string? ClaimInForm(string formBody, string claim) => Decode(AssertionInForm(formBody)).Payload.GetProperty(claim).GetString();

    public static bool Verifies(string jwt, RSA publicKey)
    {
        var parts = jwt.Split('.');
        var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        return publicKey.VerifyData(signed, Base64UrlDecode(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    public static byte[] Base64UrlDecode(string text)
    {
        Assert.DoesNotContain('=', text);
        Assert.DoesNotContain('+', text);
        Assert.DoesNotContain('/', text);
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        return Convert.FromBase64String(padded);
    }

    public static IReadOnlyList<string> PropertyNames(JsonElement element) =>
        element.EnumerateObject().Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal).ToList();
}
