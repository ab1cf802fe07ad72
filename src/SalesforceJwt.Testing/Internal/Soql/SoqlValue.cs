using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SalesforceJwt.Testing.Internal.Soql;

/// <summary>A literal of a SOQL query, compared with a record's JSON value the way Salesforce compares field values.</summary>
internal sealed class SoqlValue
{
    private SoqlValue(object? value, string text)
    {
        Value = value;
        Text = text;
    }

    /// <summary>Null, a string, a decimal, a bool or a <see cref="DateTimeOffset"/>.</summary>
    public object? Value { get; }

    public string Text { get; }

    public static SoqlValue From(SoqlToken token)
    {
        switch (token.Kind)
        {
            case SoqlTokenKind.String:
                return new SoqlValue(token.Text, token.Text);
            case SoqlTokenKind.Word when token.Is("null"):
                return new SoqlValue(null, "null");
            case SoqlTokenKind.Word when token.Is("true") || token.Is("false"):
                return new SoqlValue(token.Is("true"), token.Text);
            case SoqlTokenKind.Number when decimal.TryParse(token.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number):
                return new SoqlValue(number, token.Text);
            case SoqlTokenKind.Number when TryDate(token.Text, out var date):
                return new SoqlValue(date, token.Text);
            default:
                throw SoqlException.Malformed($"unexpected token: '{token.Text}'. FakeSalesforceOrg supports string, number, true, false, null, date and datetime literals.");
        }
    }

    /// <summary>Compares a record's value with this literal: negative, zero, positive; null when they cannot be compared.</summary>
    public int? CompareWith(JsonNode? field, string fieldName)
    {
        if (Value is null || field is null)
        {
            return Value is null && field is null ? 0 : null;
        }

        if (field is not JsonValue json)
        {
            return null;
        }

        switch (Value)
        {
            case string text when json.TryGetValue<string>(out var s):
                return StringComparer.OrdinalIgnoreCase.Compare(Restore(s), Restore(text));
            case decimal number when json.TryGetValue<JsonElement>(out var e) && e.ValueKind == JsonValueKind.Number:
                return e.GetDecimal().CompareTo(number);
            case decimal number when json.TryGetValue<decimal>(out var d):
                return d.CompareTo(number);
            case decimal number when json.TryGetValue<double>(out var dbl):
                return ((decimal)dbl).CompareTo(number);
            case decimal number when json.TryGetValue<int>(out var i):
                return ((decimal)i).CompareTo(number);
            case decimal number when json.TryGetValue<long>(out var l):
                return ((decimal)l).CompareTo(number);
            case bool flag when json.TryGetValue<bool>(out var b):
                return b.CompareTo(flag);
            case bool flag when json.TryGetValue<JsonElement>(out var e) && e.ValueKind is JsonValueKind.True or JsonValueKind.False:
                return e.GetBoolean().CompareTo(flag);
            case DateTimeOffset date when json.TryGetValue<string>(out var s) && TryDate(s, out var stored):
                return stored.CompareTo(date);
            case string when json.TryGetValue<JsonElement>(out var e) && e.ValueKind == JsonValueKind.String:
                return StringComparer.OrdinalIgnoreCase.Compare(e.GetString(), Restore((string)Value));
            default:
                throw new SoqlException("INVALID_FIELD", $"value of filter criterion for field '{fieldName}' must be of the field's type ({Text} does not match)");
        }
    }

    private static string Restore(string text) => text.Replace(SoqlLexer.LiteralPercent, '%').Replace(SoqlLexer.LiteralUnderscore, '_');

    internal static bool TryDate(string text, out DateTimeOffset date)
    {
        if (text.Length > 5 && text[^5] is '+' or '-' && text[^4..].All(char.IsDigit) && text.Contains('T', StringComparison.Ordinal))
        {
            text = text.Insert(text.Length - 2, ":");
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date)
            && text.Length >= 10 && text[4] == '-';
    }
}
