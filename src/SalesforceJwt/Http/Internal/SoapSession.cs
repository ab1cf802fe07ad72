using SalesforceJwt.Internal;
using System.Text;

namespace SalesforceJwt.Http.Internal;

/// <summary>SOAP and Metadata calls carry the session in the envelope's SessionHeader; a replay must carry the new one there.</summary>
internal static class SoapSession
{
    /// <summary>Returns the body with the old session id replaced, or null when the envelope does not carry it.</summary>
    public static async Task<HttpContent?> ReplaceAsync(HttpContent? content, string oldSessionId, string newSessionId, CancellationToken cancellationToken)
    {
        if (content is null)
        {
            return null;
        }

        var envelope = await content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var oldValue = $">{oldSessionId}</";
        if (!envelope.Contains(oldValue, StringComparison.Ordinal) || !envelope.Contains("sessionId>", StringComparison.Ordinal))
        {
            return null;
        }

        var charset = content.Headers.ContentType?.CharSet;
        var encoding = charset is null ? Encoding.UTF8 : Encoding.GetEncoding(charset.Trim('"'));
        var replaced = new ByteArrayContent(encoding.GetBytes(envelope.Replace(oldValue, $">{newSessionId}</", StringComparison.Ordinal)));
        foreach (var header in content.Headers)
        {
            if (!string.Equals(header.Key, "Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                replaced.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        return replaced;
    }
}
