using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SalesforceJwt.Rest;

/// <summary>
/// Reads Salesforce's datetimes, such as <c>2024-01-02T10:00:00.000+0000</c> (an offset without a colon, which
/// System.Text.Json refuses by default), as well as ISO 8601 forms and date-only values; writes UTC with milliseconds and <c>Z</c>.
/// Add it to your <see cref="JsonSerializerOptions.Converters"/> or to <c>[JsonSourceGenerationOptions(Converters = ...)]</c>.
/// </summary>
public sealed class SalesforceDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    internal static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.fffzzz", "yyyy-MM-dd'T'HH:mm:ss.fffK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd",
    ];

    /// <inheritdoc />
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        if (text is not null && TryParse(text, out var value))
        {
            return value;
        }

        throw new JsonException($"'{text}' is not a Salesforce datetime such as 2024-01-02T10:00:00.000+0000.");
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        SalesforceJwt.Internal.Guard.NotNull(writer);
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
    }

    internal static bool TryParse(string text, out DateTimeOffset value)
    {
        // "+0000" has no colon; normalise it so one set of formats reads every form.
        if (text.Length > 5 && (text[text.Length - 5] is '+' or '-') && text.Substring(text.Length - 4).All(char.IsDigit) && text.Contains('T'))
        {
            text = text.Insert(text.Length - 2, ":");
        }

        return DateTimeOffset.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value)
            || DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }
}
