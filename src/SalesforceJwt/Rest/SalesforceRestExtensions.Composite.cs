using System.Net;
using System.Text.Json;
using SalesforceJwt.Internal;
using SalesforceJwt.Rest.Internal;

namespace SalesforceJwt.Rest;

public static partial class SalesforceRestExtensions
{
    /// <summary>
    /// Sends a composite request (<c>POST composite</c>): up to 25 subrequests in order, later ones referring to earlier
    /// results as <c>@{referenceId.id}</c>. Each subrequest's own status and errors are in the result; only a failure of
    /// the composite call itself throws.
    /// </summary>
    /// <param name="client">A Salesforce client.</param>
    /// <param name="request">The subrequests.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One result per subrequest, in order.</returns>
    /// <exception cref="ArgumentException">No subrequest, more than 25, a duplicate or invalid reference id, or a URL not under <c>/services/data/</c>.</exception>
    public static async Task<SalesforceCompositeResponse> SendCompositeAsync(this HttpClient client, SalesforceCompositeRequest request, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(request);
        var uri = RestCall.DataUri(NotNull(client), "composite");
        using var document = await RestCall.SendForJsonAsync(client, HttpMethod.Post, uri, RecordJson.Content(CompositeBody(request)), cancellationToken).ConfigureAwait(false);
        if (document is null || !document.RootElement.TryGetProperty("compositeResponse", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            throw RestCall.Unexpected(HttpStatusCode.OK, $"POST {RestCall.PathOf(uri)} did not answer with a compositeResponse.");
        }

        var results = new List<SalesforceCompositeSubresponse>();
        foreach (var item in items.EnumerateArray())
        {
            var status = item.TryGetProperty("httpStatusCode", out var code) && code.TryGetInt32(out var value) ? value : 0;
            var body = item.TryGetProperty("body", out var b) ? b.Clone() : default;
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (item.TryGetProperty("httpHeaders", out var h) && h.ValueKind == JsonValueKind.Object)
            {
                foreach (var header in h.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String))
                {
                    headers[header.Name] = header.Value.GetString()!;
                }
            }

            var errors = status is >= 200 and < 300 ? [] : RestCall.ParseErrors(body);
            results.Add(new SalesforceCompositeSubresponse(RestCall.String(item, "referenceId") ?? string.Empty, status, body, headers, errors));
        }

        return new SalesforceCompositeResponse(results);
    }

    private static byte[] CompositeBody(SalesforceCompositeRequest request)
    {
        if (request.Subrequests.Count is < 1 or > SalesforceCompositeRequest.MaxSubrequests)
        {
            throw new ArgumentException($"A composite request takes 1 to {SalesforceCompositeRequest.MaxSubrequests} subrequests; it has {request.Subrequests.Count}.", nameof(request));
        }

        var references = new HashSet<string>(StringComparer.Ordinal);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("allOrNone", request.AllOrNone);
            writer.WriteStartArray("compositeRequest");
            foreach (var sub in request.Subrequests)
            {
                Guard.NotNull(sub);
                if (!ApiNames.IsApiName(sub.ReferenceId) || !references.Add(sub.ReferenceId))
                {
                    throw new ArgumentException($"Reference id '{sub.ReferenceId}' is invalid or used twice: use a unique name of letters, digits and underscores.", nameof(request));
                }

                if (sub.Url is null || !sub.Url.StartsWith("/services/data/", StringComparison.Ordinal) || sub.Url.Contains("..", StringComparison.Ordinal) || sub.Url.Contains('\\'))
                {
                    throw new ArgumentException($"Subrequest '{sub.ReferenceId}' has URL '{sub.Url}'; it must be a path under /services/data/, such as /services/data/v62.0/sobjects/Account.", nameof(request));
                }

                writer.WriteStartObject();
                writer.WriteString("method", sub.Method.ToUpperInvariant());
                writer.WriteString("url", sub.Url);
                writer.WriteString("referenceId", sub.ReferenceId);
                if (sub.Body is not null)
                {
                    writer.WritePropertyName("body");
                    sub.Body.WriteTo(writer);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
