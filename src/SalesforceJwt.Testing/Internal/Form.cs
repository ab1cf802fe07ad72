namespace SalesforceJwt.Testing.Internal;

internal static class Form
{
    /// <summary>Parses an application/x-www-form-urlencoded body or query string.</summary>
    public static Dictionary<string, string> Parse(string? text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(text))
        {
            return values;
        }

        foreach (var pair in text.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Decode(at < 0 ? pair : pair[..at]);
            values[key] = at < 0 ? string.Empty : Decode(pair[(at + 1)..]);
        }

        return values;
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}
