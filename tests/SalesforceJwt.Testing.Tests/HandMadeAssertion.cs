using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SalesforceJwt.Testing.Tests;

/// <summary>Signs assertions with plain RSA.SignData and hand-built JSON, independently of SalesforceJwt's builder.</summary>
internal static class HandMadeAssertion
{
    public static string Sign(RSA key, object claims, string alg = "RS256")
    {
        var header = Encode(Encoding.UTF8.GetBytes($$"""{"alg":"{{alg}}"}"""));
        var payload = Encode(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = key.SignData(Encoding.ASCII.GetBytes(header + "." + payload), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return header + "." + payload + "." + Encode(signature);
    }

    public static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static FormUrlEncodedContent Form(string assertion, string grantType = "urn:ietf:params:oauth:grant-type:jwt-bearer") =>
        new([new("grant_type", grantType), new("assertion", assertion)]);
}
