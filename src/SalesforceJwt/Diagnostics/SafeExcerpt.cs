using System.Text.RegularExpressions;

namespace SalesforceJwt.Diagnostics;

/// <summary>
/// Cuts a response body down to a short excerpt that is safe to put in an exception or a log. Only a bounded prefix is
/// looked at, and on modern .NET the patterns run on the non-backtracking engine, so the cost is linear in that prefix
/// whatever a server sends.
/// </summary>
internal static class SafeExcerpt
{
    private const int MaxLength = 200;

    // Enough to redact a token that straddles the cut; never the whole of a large body.
    private const int MaxInspected = 4096;

#if NET7_0_OR_GREATER
    private const RegexOptions Linear = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;
#else
    private const RegexOptions Linear = RegexOptions.CultureInvariant;
#endif

    private static readonly TimeSpan s_matchTimeout = TimeSpan.FromSeconds(1);

    private static readonly Regex s_secretJsonValue = new(
        "\"(access_token|refresh_token|id_token|assertion|signature|sessionId)\"\\s*:\\s*\"[^\"]*(\"|$)", Linear | RegexOptions.IgnoreCase, s_matchTimeout);

    // Salesforce session ids look like 00D<org id>!<secret>; the '!' is %21 where a page echoes one in a URL.
    private static readonly Regex s_sessionIdLike = new("00D[A-Za-z0-9]{12,15}(!|%21)[A-Za-z0-9._\\-]+", Linear, s_matchTimeout);

    private static readonly Regex s_jwtLike = new("eyJ[A-Za-z0-9_\\-]+\\.[A-Za-z0-9_\\-]+(\\.[A-Za-z0-9_\\-]*)?", Linear, s_matchTimeout);

    private static readonly Regex s_whitespace = new("\\s+", Linear, s_matchTimeout);

    public static string? From(string? body)
    {
        if (body is null || body.Length == 0)
        {
            return null;
        }

        var inspected = body.Length <= MaxInspected ? body : body[..MaxInspected];

        // A JSON-escaped underscore must not hide a secret's name from the patterns.
        inspected = inspected.Replace("\\u005f", "_").Replace("\\u005F", "_");
        try
        {
            // Redact before cutting, so that a value cut in half is still recognised.
            var redacted = s_secretJsonValue.Replace(inspected, "\"$1\":\"[redacted]\"");
            redacted = s_sessionIdLike.Replace(redacted, "[redacted]");
            redacted = s_jwtLike.Replace(redacted, "[redacted]");
            redacted = s_whitespace.Replace(redacted, " ").Trim();
            return redacted.Length <= MaxLength && inspected.Length == body.Length ? redacted : redacted[..Math.Min(MaxLength, redacted.Length)] + "…";
        }
        catch (RegexMatchTimeoutException)
        {
            return "[body withheld: it could not be checked for secrets]";
        }
    }
}
