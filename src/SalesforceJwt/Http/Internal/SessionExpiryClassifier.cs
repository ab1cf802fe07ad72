using SalesforceJwt.Internal;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace SalesforceJwt.Http.Internal;

/// <summary>
/// Tells a Salesforce "your session ended" response from look-alikes that a new login cannot fix, by API, status and
/// body together (docs/salesforce-behaviour.md#session-expiry-by-api). Only the bodies of the few candidate statuses are
/// read, only their first 64 KiB, and the caller still reads the whole body as it came.
/// </summary>
internal sealed partial class SessionExpiryClassifier : ISalesforceSessionClassifier
{
    public const string SoapFault = "SOAP sf:INVALID_SESSION_ID";

    // Salesforce's session errors are a few hundred bytes; what decides lies in the first 64 KiB of any body.
    private const int MaxBodyToInspect = 64 * 1024;

    /// <summary>Returns why the response means the session ended, or <see langword="null"/> when it does not.</summary>
    public async ValueTask<string?> GetSessionEndReasonAsync(HttpResponseMessage response, CancellationToken cancellationToken = default)
    {
        var status = response.StatusCode;
        if (!MayMeanSessionEnd(status))
        {
            return null;
        }

        var path = response.RequestMessage?.RequestUri?.AbsolutePath ?? string.Empty;
        if ((status == HttpStatusCode.BadRequest && !IsBulkV1(path)) || (status == HttpStatusCode.InternalServerError && !IsSoap(path)))
        {
            return null;
        }

        var body = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return null;
        }

        return status switch
        {
            HttpStatusCode.Unauthorized => ClassifyUnauthorized(body),
            HttpStatusCode.BadRequest => body.Contains("InvalidSessionId", StringComparison.Ordinal) ? "Bulk API 1.0 InvalidSessionId" : null,
            HttpStatusCode.InternalServerError => SoapInvalidSession().IsMatch(body) ? SoapFault : null,

            // 403 is also REQUEST_LIMIT_EXCEEDED, API_DISABLED_FOR_ORG and INSUFFICIENT_ACCESS: none of them is an expiry.
            _ => body.Trim() == "Bad_OAuth_Token" || body.Contains("\"Bad_OAuth_Token\"", StringComparison.Ordinal) ? "Bad_OAuth_Token" : null,
        };
    }

    /// <summary>Whether a response of this status may say the session ended; the handler asks nothing more of any other.</summary>
    public static bool MayMeanSessionEnd(HttpStatusCode status) =>
        status is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest or HttpStatusCode.Forbidden or HttpStatusCode.InternalServerError;

    public static bool IsBulkV1(string path) => path.StartsWith("/services/async/", StringComparison.OrdinalIgnoreCase);

    public static bool IsSoap(string path) => path.StartsWith("/services/Soap/", StringComparison.OrdinalIgnoreCase);

#if NET7_0_OR_GREATER
    [GeneratedRegex("<faultcode>[A-Za-z]+:INVALID_SESSION_ID</faultcode>")]
    private static partial Regex SoapInvalidSession();
#else
    private static Regex SoapInvalidSession() => s_soapInvalidSession;

    private static readonly Regex s_soapInvalidSession = new("<faultcode>[A-Za-z]+:INVALID_SESSION_ID</faultcode>", RegexOptions.Compiled);
#endif

    private static string? ClassifyUnauthorized(string body)
    {
        // Valid sessions that this API refuses (High Assurance, API Access Control, Agent API): a new login gets the
        // same answer, and treating them as expiry is how other clients looped until the login limit
        // (docs/salesforce-behaviour.md#look-alikes-that-are-not-expiry).
        if (body.Contains("not valid for use with the REST API", StringComparison.OrdinalIgnoreCase)
            || body.Contains("Connected app is not attached to Agent", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (body.Contains("INVALID_SESSION_ID", StringComparison.Ordinal))
        {
            return "INVALID_SESSION_ID";
        }

        if (body.Contains("INVALID_AUTH_HEADER", StringComparison.Ordinal))
        {
            return "INVALID_AUTH_HEADER";
        }

        // A bare 401 carries no reason; one re-authentication is the most a request gets anyway.
        return string.IsNullOrWhiteSpace(body) ? "401 without a body" : null;
    }

    /// <summary>
    /// Reads at most the first 64 KiB. A body that was all read is kept in memory; a longer one is put back in front of
    /// the rest of the stream, so the caller reads the whole body whether or not it has a Content-Length.
    /// </summary>
    private static async ValueTask<string?> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var content = response.Content;
        if (content.Headers.ContentLength is > MaxBodyToInspect)
        {
            return null;
        }

        BoundedBody.Prefix prefix;
        try
        {
            prefix = await BoundedBody.ReadPrefixAsync(content, MaxBodyToInspect, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            // The body broke off while being read, and its stream is gone: the caller gets the failure, never a
            // response whose body can no longer be read.
            response.Dispose();
            throw;
        }
        catch (IOException ex)
        {
            // As HttpClient itself reports a body cut short.
            response.Dispose();
            throw new HttpRequestException($"The {(int)response.StatusCode} response's body ended before it could be read: {ex.Message}", ex);
        }

        HttpContent replacement = prefix.IsComplete
            ? Buffered(content, prefix.Buffer, prefix.Length)
            : new PrefixedContent(content, prefix.Buffer, prefix.Length, prefix.Rest!);
        response.Content = replacement;
        return Encoding.UTF8.GetString(prefix.Buffer, 0, prefix.Length);
    }

    private static ByteArrayContent Buffered(HttpContent original, byte[] buffer, int length)
    {
        var buffered = new ByteArrayContent(buffer, 0, length);
        foreach (var header in original.Headers)
        {
            buffered.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        original.Dispose();
        return buffered;
    }
}
