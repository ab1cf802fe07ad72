namespace SalesforceJwt.Internal;

/// <summary>Unpadded base64url (RFC 7515, section 2) on every target; .NET 8 and .NET Standard 2.0 have no <c>Base64Url</c>.</summary>
internal static class Base64UrlEncoding
{
    public static string Encode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Decodes unpadded base64url; returns <see langword="null"/> for anything else.</summary>
    public static byte[]? TryDecode(string text)
    {
        if (text.Length % 4 == 1 || !text.All(IsBase64UrlChar))
        {
            return null;
        }

        var padded = text.Replace('-', '+').Replace('_', '/') + new string('=', (4 - (text.Length % 4)) % 4);
        return Convert.FromBase64String(padded);
    }

    private static bool IsBase64UrlChar(char c) => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_';
}
