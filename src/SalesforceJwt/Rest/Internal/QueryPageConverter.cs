using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace SalesforceJwt.Rest.Internal;

/// <summary>
/// Reads a query page (<c>totalSize</c>, <c>done</c>, <c>nextRecordsUrl</c>, <c>records</c>) with the caller's
/// <see cref="JsonTypeInfo{T}"/> for each record, so the page is read from the response stream without reflection.
/// </summary>
internal sealed class QueryPageConverter<T>(JsonTypeInfo<T> record) : JsonConverter<SalesforceQueryResult<T>>
{
    public static JsonTypeInfo<SalesforceQueryResult<T>> TypeInfo(JsonTypeInfo<T> record) =>
        JsonMetadataServices.CreateValueInfo<SalesforceQueryResult<T>>(record.Options, new QueryPageConverter<T>(record));

    public override SalesforceQueryResult<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A query answer must be a JSON object.");
        }

        var totalSize = 0;
        var done = true;
        string? next = null;
        var records = new List<T>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "totalSize":
                    totalSize = reader.GetInt32();
                    break;
                case "done":
                    done = reader.GetBoolean();
                    break;
                case "nextRecordsUrl":
                    next = reader.TokenType == JsonTokenType.Null ? null : reader.GetString();
                    break;
                case "records" when reader.TokenType == JsonTokenType.StartArray:
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        records.Add(JsonSerializer.Deserialize(ref reader, record)!);
                    }

                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return new SalesforceQueryResult<T>(totalSize, done, next, records);
    }

    public override void Write(Utf8JsonWriter writer, SalesforceQueryResult<T> value, JsonSerializerOptions options) =>
        throw new NotSupportedException("Query pages are only read.");
}
