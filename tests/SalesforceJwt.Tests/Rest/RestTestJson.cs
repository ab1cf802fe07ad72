using System.Text.Json.Serialization;
using SalesforceJwt.Rest;

namespace SalesforceJwt.Tests.Rest;

/// <summary>A record type as a user would write one, with Salesforce's attributes and a datetime.</summary>
public sealed class Account
{
    [JsonPropertyName("attributes")]
    public SalesforceRecordAttributes? Attributes { get; set; }

    public string? Id { get; set; }

    public string? Name { get; set; }

    public int? Number { get; set; }

    public DateTimeOffset? CreatedDate { get; set; }

    public bool? IsDeleted { get; set; }
}

/// <summary>The source-generated metadata a trimmed or AOT app would pass to the helpers.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, Converters = [typeof(SalesforceDateTimeOffsetConverter)])]
[JsonSerializable(typeof(Account))]
internal sealed partial class RestTestJson : JsonSerializerContext;
