using System.Text.Json;

namespace SalesforceJwt.Rest;

/// <summary>The result of one composite subrequest: its own HTTP status, body and, when it failed, Salesforce's errors.</summary>
public sealed class SalesforceCompositeSubresponse
{
    internal SalesforceCompositeSubresponse(string referenceId, int httpStatusCode, JsonElement body, IReadOnlyDictionary<string, string> httpHeaders, IReadOnlyList<SalesforceApiError> errors)
    {
        ReferenceId = referenceId;
        HttpStatusCode = httpStatusCode;
        Body = body;
        HttpHeaders = httpHeaders;
        Errors = errors;
    }

    /// <summary>Gets the subrequest's reference id.</summary>
    public string ReferenceId { get; }

    /// <summary>Gets the subrequest's own HTTP status (the composite call itself answers 200).</summary>
    public int HttpStatusCode { get; }

    /// <summary>Gets a value indicating whether the subrequest succeeded (a 2xx status).</summary>
    public bool IsSuccess => HttpStatusCode is >= 200 and < 300;

    /// <summary>Gets the subrequest's body; <see cref="JsonValueKind.Undefined"/> or <see cref="JsonValueKind.Null"/> when it had none.</summary>
    public JsonElement Body { get; }

    /// <summary>Gets the subrequest's response headers, such as <c>Location</c>.</summary>
    public IReadOnlyDictionary<string, string> HttpHeaders { get; }

    /// <summary>Gets Salesforce's errors when the subrequest failed (<c>PROCESSING_HALTED</c> for those rolled back by <see cref="SalesforceCompositeRequest.AllOrNone"/>); empty on success.</summary>
    public IReadOnlyList<SalesforceApiError> Errors { get; }

    /// <summary>Gets the <c>id</c> of a created record from the body, if there is one.</summary>
    public string? Id => Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
}
