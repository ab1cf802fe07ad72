using System.Text.Json.Serialization;

namespace SalesforceJwt.Rest;

/// <summary>
/// The <c>attributes</c> object Salesforce puts first in every record it returns. Add a property of this type named
/// <c>attributes</c> (or with <c>[JsonPropertyName("attributes")]</c>) to a record class to read it; the helpers never
/// send a record's own attributes, and add <c>attributes.type</c> where sObject Collections need it.
/// </summary>
public sealed class SalesforceRecordAttributes
{
    /// <summary>Gets or sets the object type, such as <c>Account</c>.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    /// <summary>Gets or sets the record's path, such as <c>/services/data/v62.0/sobjects/Account/001…</c>.</summary>
    [JsonPropertyName("url")]
    public string? Url { get; set; }
}
