using System.Net;
using System.Text;
using System.Text.Json;
using SalesforceJwt.Diagnostics;

namespace SalesforceJwt.Rest.Internal;

/// <summary>Sends one REST call with a relative URI and turns Salesforce's error arrays into <see cref="SalesforceApiException"/>.</summary>
internal static class RestCall
{
    /// <summary>The most bytes of an error answer that are read.</summary>
    public const int MaxErrorBodyBytes = 64 * 1024;

    /// <summary>The most bytes of a successful answer that are read: a 2,000-record page of wide records stays well below it.</summary>
    public const long MaxResponseBytes = 256L * 1024 * 1024;

    public const string JsonMediaType = "application/json";

    /// <summary>A relative URI under the client's API version: <c>services/data/v62.0/{rest}</c>.</summary>
    public static string DataUri(HttpClient client, string rest) => "services/data/v" + SalesforceClientRegistry.ApiVersion(client) + "/" + rest;

    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string relativeUri, HttpContent? content, CancellationToken cancellationToken)
    {
        SalesforceJwt.Internal.Guard.NotNull(client);
        using var request = new HttpRequestMessage(method, new Uri(relativeUri, UriKind.Relative)) { Content = content };
        request.Headers.Accept.ParseAdd(JsonMediaType);
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if ((int)response.StatusCode is >= 200 and < 300)
        {
            return response;
        }

        using (response)
        {
            throw await ErrorAsync(response, method.Method, PathOf(relativeUri), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sends and parses the JSON answer; <see langword="null"/> for an answer without a body (204).</summary>
    public static async Task<JsonDocument?> SendForJsonAsync(HttpClient client, HttpMethod method, string relativeUri, HttpContent? content, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(client, method, relativeUri, content, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, method.Method, relativeUri, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<JsonDocument?> ReadJsonAsync(HttpResponseMessage response, string method, string relativeUri, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.NoContent || response.Content.Headers.ContentLength == 0)
        {
            return null;
        }

        try
        {
            using var stream = new BoundedReadStream(await ReadStreamAsync(response.Content, cancellationToken).ConfigureAwait(false), MaxResponseBytes);
            return await JsonDocument.ParseAsync(stream, default, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is JsonException or ResponseTooLargeException)
        {
            throw Unexpected(response.StatusCode, $"{method} {PathOf(relativeUri)} answered {(int)response.StatusCode} with a body that is not JSON or is larger than {MaxResponseBytes} bytes.");
        }
    }

    public static async Task<Stream> ReadStreamAsync(HttpContent content, CancellationToken cancellationToken)
    {
#if NET5_0_OR_GREATER
        return await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
#else
        cancellationToken.ThrowIfCancellationRequested();
        return await content.ReadAsStreamAsync().ConfigureAwait(false);
#endif
    }

    public static SalesforceApiException Unexpected(HttpStatusCode status, string message) =>
        new(SalesforceErrorCode.UnexpectedApiResponse, message, status, [], null);

    /// <summary>The path of a relative URI without its query, which may hold data that does not belong in an exception.</summary>
    public static string PathOf(string relativeUri)
    {
        var query = relativeUri.IndexOf('?');
        var path = query < 0 ? relativeUri : relativeUri.Substring(0, query);
        return path.Length > 0 && path[0] == '/' ? path : "/" + path;
    }

    /// <summary>Reads an error array (<c>[{"errorCode","message","fields"}]</c>, or <c>statusCode</c> in collection results).</summary>
    public static IReadOnlyList<SalesforceApiError> ParseErrors(JsonElement element)
    {
        var errors = new List<SalesforceApiError>();
        if (element.ValueKind == JsonValueKind.Object)
        {
            AddError(element, errors);
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                AddError(item, errors);
            }
        }

        return errors;
    }

    private static void AddError(JsonElement item, List<SalesforceApiError> errors)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var code = String(item, "errorCode") ?? String(item, "statusCode");
        if (code is null)
        {
            return;
        }

        var fields = new List<string>();
        if (item.TryGetProperty("fields", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            fields.AddRange(list.EnumerateArray().Where(f => f.ValueKind == JsonValueKind.String).Select(f => f.GetString()!));
        }

        errors.Add(new SalesforceApiError(code, String(item, "message") ?? string.Empty, fields));
    }

    public static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static async Task<SalesforceApiException> ErrorAsync(HttpResponseMessage response, string method, string path, CancellationToken cancellationToken)
    {
        var body = await ReadBoundedAsync(response.Content, MaxErrorBodyBytes, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<SalesforceApiError> errors = [];
        try
        {
            using var document = JsonDocument.Parse(body);
            errors = ParseErrors(document.RootElement);
        }
        catch (JsonException)
        {
            // Not an error array (a proxy's page, a cut-off answer): the excerpt below carries what there is.
        }

        var status = (int)response.StatusCode;
        if (status == 300 && errors.Count == 0)
        {
            errors = [new SalesforceApiError("MULTIPLE_CHOICES", "More than one record matches the external id value.")];
        }

        var limitExceeded = errors.Any(e => e.ErrorCode == "REQUEST_LIMIT_EXCEEDED");
        var what = errors.Count == 0 ? "no error array" : string.Join("; ", errors.Select(e => e.ToString()));
        var message = $"Salesforce answered {status} to {method} {path}: {what}.";
        if (limitExceeded)
        {
            // docs/salesforce-behaviour.md#rest-error-arrays: the allocation is spent; no login can change that.
            message += " The org's daily API allocation is spent. This is not an authentication problem: calls succeed again when the rolling " +
                "24-hour window frees requests. Watch the salesforcejwt.api.requests.used metric, or ask the org's admin for a higher allocation.";
        }

        return new SalesforceApiException(
            limitExceeded ? SalesforceErrorCode.RequestLimitExceeded : SalesforceErrorCode.ApiError,
            message,
            response.StatusCode,
            errors,
            errors.Count == 0 ? SafeExcerpt.From(Encoding.UTF8.GetString(body)) : null);
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpContent content, int limit, CancellationToken cancellationToken)
    {
        using var stream = await ReadStreamAsync(content, cancellationToken).ConfigureAwait(false);
        var buffer = new byte[limit];
        var total = 0;
        int read;
#if NET6_0_OR_GREATER
        while (total < limit && (read = await stream.ReadAsync(buffer.AsMemory(total, limit - total), cancellationToken).ConfigureAwait(false)) > 0)
#else
        while (total < limit && (read = await stream.ReadAsync(buffer, total, limit - total, cancellationToken).ConfigureAwait(false)) > 0)
#endif
        {
            total += read;
        }

        Array.Resize(ref buffer, total);
        return buffer;
    }
}
