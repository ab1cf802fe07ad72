using System.Text.Json.Nodes;

namespace SalesforceJwt.Rest;

/// <summary>One subrequest of a <see cref="SalesforceCompositeRequest"/>.</summary>
public sealed class SalesforceCompositeSubrequest
{
    /// <summary>Initializes a new instance of the <see cref="SalesforceCompositeSubrequest"/> class.</summary>
    /// <param name="method">The HTTP method: <c>GET</c>, <c>POST</c>, <c>PATCH</c>, <c>PUT</c> or <c>DELETE</c>.</param>
    /// <param name="url">The resource's path, starting with <c>/services/data/</c>, such as <c>/services/data/v62.0/sobjects/Account</c>; it may hold <c>@{referenceId.field}</c>.</param>
    /// <param name="referenceId">The name later subrequests use to refer to this one's result: letters, digits and underscores.</param>
    /// <param name="body">The JSON body, if any.</param>
    public SalesforceCompositeSubrequest(string method, string url, string referenceId, JsonNode? body = null)
    {
        Method = method;
        Url = url;
        ReferenceId = referenceId;
        Body = body;
    }

    /// <summary>Gets the HTTP method.</summary>
    public string Method { get; }

    /// <summary>Gets the resource's path.</summary>
    public string Url { get; }

    /// <summary>Gets the reference id.</summary>
    public string ReferenceId { get; }

    /// <summary>Gets the JSON body, if any.</summary>
    public JsonNode? Body { get; }
}
