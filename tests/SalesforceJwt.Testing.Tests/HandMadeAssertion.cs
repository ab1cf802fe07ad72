using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
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

    /// <summary>Logs the integration user in to the fake by hand (assertion signed at <paramref name="now"/>) and returns the access token.</summary>
    public static async Task<string> LoginAsync(HttpClient http, FakeSalesforceOrg org, FakeIntegration integration, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var key = integration.Certificate.GetRSAPrivateKey()!;
        var assertion = Sign(key, new
        {
            iss = integration.ConsumerKey,
            sub = integration.Username,
            aud = "https://login.salesforce.com",
            exp = now.AddMinutes(2).ToUnixTimeSeconds(),
        });
        using var response = await http.PostAsync(new Uri(org.Url, "services/oauth2/token"), Form(assertion), cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement.GetProperty("access_token").GetString()!;
    }

    public static FormUrlEncodedContent Form(string assertion, string grantType = "urn:ietf:params:oauth:grant-type:jwt-bearer") =>
        new([new("grant_type", grantType), new("assertion", assertion)]);
}
