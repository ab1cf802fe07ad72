using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SalesforceJwt.Rest;

/// <summary>
/// Reads Salesforce's datetimes, such as <c>2024-01-02T10:00:00.000+0000</c>, into a UTC <see cref="DateTime"/>, and
/// date-only values (<c>2024-01-02</c>) into a date at midnight; writes UTC with milliseconds and <c>Z</c>.
/// </summary>
public sealed class SalesforceDateTimeConverter : JsonConverter<DateTime>
{
    /// <inheritdoc />
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        if (text is { Length: 10 } && DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        if (text is not null && SalesforceDateTimeOffsetConverter.TryParse(text, out var value))
        {
            return value.UtcDateTime;
        }

        throw new JsonException($"'{text}' is not a Salesforce datetime such as 2024-01-02T10:00:00.000+0000.");
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options)
    {
        SalesforceJwt.Internal.Guard.NotNull(writer);
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;
        writer.WriteStringValue(utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
    }
}
