using System.Net.Http.Headers;
using System.Text.Json;

namespace SalesforceJwt.Rest.Internal;

/// <summary>
/// Writes record bodies from the caller's serialized record: its own <c>attributes</c> (and <c>Id</c> where Salesforce
/// takes the id from the URL) are left out, and <c>attributes.type</c> is added where sObject Collections need it.
/// </summary>
internal static class RecordJson
{
    public static ByteArrayContent Content(byte[] utf8Json)
    {
        var content = new ByteArrayContent(utf8Json);
        content.Headers.ContentType = new MediaTypeHeaderValue(RestCall.JsonMediaType) { CharSet = "utf-8" };
        return content;
    }

    public static ByteArrayContent Single(JsonElement record, string parameterName)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteRecord(writer, record, type: null, keepId: false, parameterName);
        }

        return Content(buffer.ToArray());
    }

    /// <summary>Writes one record; <paramref name="type"/> adds <c>attributes</c>; <paramref name="keepId"/> keeps (and requires) <c>Id</c>.</summary>
    public static void WriteRecord(Utf8JsonWriter writer, JsonElement record, string? type, bool keepId, string parameterName)
    {
        if (record.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"A record must serialize to a JSON object, not {record.ValueKind}.", parameterName);
        }

        writer.WriteStartObject();
        if (type is not null)
        {
            writer.WriteStartObject("attributes");
            writer.WriteString("type", type);
            writer.WriteEndObject();
        }

        var hasId = false;
        foreach (var property in record.EnumerateObject())
        {
            if (string.Equals(property.Name, "attributes", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (string.Equals(property.Name, "Id", StringComparison.OrdinalIgnoreCase))
            {
                if (!keepId || property.Value.ValueKind == JsonValueKind.Null)
                {
                    continue;
                }

                ApiNames.RequireId(property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null, parameterName);
                hasId = true;
            }

            property.WriteTo(writer);
        }

        if (keepId && !hasId)
        {
            throw new ArgumentException("Every record of a collection update needs its Id.", parameterName);
        }

        writer.WriteEndObject();
    }
}
