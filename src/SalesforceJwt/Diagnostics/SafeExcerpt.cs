using System.Text.RegularExpressions;

namespace SalesforceJwt.Diagnostics;

/// <summary>Cuts a response body down to a short excerpt that is safe to put in an exception or a log.</summary>
internal static partial class SafeExcerpt
{
    private const int MaxLength = 200;

    public static string? From(string? body)
    {
        if (string.IsNullOrEmpty(body))
        {
            return null;
        }

        // Redact before cutting, so that a value cut in half is still recognised.
        var redacted = SecretJsonValue().Replace(body, "\"$1\":\"[redacted]\"");
        redacted = SessionIdLike().Replace(redacted, "[redacted]");
        redacted = JwtLike().Replace(redacted, "[redacted]");
        redacted = Whitespace().Replace(redacted, " ").Trim();
        return redacted.Length <= MaxLength ? redacted : redacted[..MaxLength] + "…";
    }

#if NET7_0_OR_GREATER
    [GeneratedRegex("\"(access_token|refresh_token|id_token|assertion|signature|sessionId)\"\\s*:\\s*\"[^\"]*(\"|$)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretJsonValue();
#else
    private static Regex SecretJsonValue() => s_secretJsonValue;

    private static readonly Regex s_secretJsonValue = new("\"(access_token|refresh_token|id_token|assertion|signature|sessionId)\"\\s*:\\s*\"[^\"]*(\"|$)", RegexOptions.IgnoreCase | RegexOptions.Compiled);
#endif

    // Salesforce session ids look like 00D<org id>!<secret>.
#if NET7_0_OR_GREATER
    [GeneratedRegex("00D[A-Za-z0-9]{12,15}![A-Za-z0-9._\\-]+")]
    private static partial Regex SessionIdLike();
#else
    private static Regex SessionIdLike() => s_sessionIdLike;

    private static readonly Regex s_sessionIdLike = new("00D[A-Za-z0-9]{12,15}![A-Za-z0-9._\\-]+", RegexOptions.Compiled);
#endif

#if NET7_0_OR_GREATER
    [GeneratedRegex("eyJ[A-Za-z0-9_\\-]+\\.[A-Za-z0-9_\\-]+(\\.[A-Za-z0-9_\\-]*)?")]
    private static partial Regex JwtLike();
#else
    private static Regex JwtLike() => s_jwtLike;

    private static readonly Regex s_jwtLike = new("eyJ[A-Za-z0-9_\\-]+\\.[A-Za-z0-9_\\-]+(\\.[A-Za-z0-9_\\-]*)?", RegexOptions.Compiled);
#endif

#if NET7_0_OR_GREATER
    [GeneratedRegex("\\s+")]
    private static partial Regex Whitespace();
#else
    private static Regex Whitespace() => s_whitespace;

    private static readonly Regex s_whitespace = new("\\s+", RegexOptions.Compiled);
#endif
}
