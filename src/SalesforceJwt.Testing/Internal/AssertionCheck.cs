using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace SalesforceJwt.Testing.Internal;

/// <summary>Reads and checks a JWT bearer assertion by hand, the way Salesforce's token endpoint does (docs/salesforce-behaviour.md#assertion-claims-and-exp-window).</summary>
internal static class AssertionCheck
{
    internal sealed record Claims(string Issuer, string? Subject, string? Audience, DateTimeOffset? Expires);

    internal sealed record Failure(string Error, string Description);

    public static readonly Failure InvalidAssertion = new("invalid_grant", "invalid assertion");

    /// <summary>Parses the compact JWT; returns null when it is not one.</summary>
    public static (Claims? Claims, string[]? Parts) Parse(string assertion)
    {
        var parts = assertion.Split('.');
        if (parts.Length != 3 || parts.Any(p => p.Length == 0 || p.Contains('=', StringComparison.Ordinal)))
        {
            return (null, null);
        }

        try
        {
            using var header = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(parts[0]));
            if (!header.RootElement.TryGetProperty("alg", out var alg) || alg.GetString() != "RS256")
            {
                return (null, null);
            }

            using var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(parts[1]));
            var root = payload.RootElement;
            var issuer = String(root, "iss");
            return issuer is null
                ? (null, null)
                : (new Claims(issuer, String(root, "sub"), String(root, "aud"), Expiry(root)), parts);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or ArgumentException or InvalidOperationException)
        {
            return (null, null);
        }
    }

    public static bool SignatureVerifies(string[] parts, RSA publicKey)
    {
        try
        {
            var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
            return publicKey.VerifyData(signed, Base64UrlEncoder.DecodeBytes(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // Salesforce's own example sends exp as a string; numbers work too.
    private static DateTimeOffset? Expiry(JsonElement root)
    {
        if (!root.TryGetProperty("exp", out var exp))
        {
            return null;
        }

        long seconds;
        if (exp.ValueKind == JsonValueKind.Number && exp.TryGetInt64(out seconds))
        {
            return FromSeconds(seconds);
        }

        return exp.ValueKind == JsonValueKind.String && long.TryParse(exp.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out seconds)
            ? FromSeconds(seconds)
            : null;
    }

    private static DateTimeOffset FromSeconds(long seconds) =>
        seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds() ? DateTimeOffset.MaxValue : DateTimeOffset.FromUnixTimeSeconds(seconds);
}
