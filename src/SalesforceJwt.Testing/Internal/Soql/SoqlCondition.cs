using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SalesforceJwt.Testing.Internal.Soql;

/// <summary>A WHERE condition over one record.</summary>
internal abstract class SoqlCondition
{
    public abstract bool Matches(JsonObject record);

    public abstract IEnumerable<string> Fields();

    public static JsonNode? Field(JsonObject record, string name)
    {
        foreach (var (key, value) in record)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }
}

internal sealed class SoqlAnd(SoqlCondition left, SoqlCondition right) : SoqlCondition
{
    public override bool Matches(JsonObject record) => left.Matches(record) && right.Matches(record);

    public override IEnumerable<string> Fields() => left.Fields().Concat(right.Fields());
}

internal sealed class SoqlOr(SoqlCondition left, SoqlCondition right) : SoqlCondition
{
    public override bool Matches(JsonObject record) => left.Matches(record) || right.Matches(record);

    public override IEnumerable<string> Fields() => left.Fields().Concat(right.Fields());
}

internal sealed class SoqlNot(SoqlCondition inner) : SoqlCondition
{
    public override bool Matches(JsonObject record) => !inner.Matches(record);

    public override IEnumerable<string> Fields() => inner.Fields();
}

/// <summary><c>field op value</c> with <c>=</c>, <c>!=</c>, <c>&lt;</c>, <c>&gt;</c>, <c>&lt;=</c>, <c>&gt;=</c>.</summary>
internal sealed class SoqlComparison(string field, string op, SoqlValue value) : SoqlCondition
{
    public override bool Matches(JsonObject record)
    {
        var compared = value.CompareWith(Field(record, field), field);
        return op switch
        {
            "=" => compared == 0,
            "!=" => compared != 0,
            "<" => compared < 0,
            ">" => compared > 0,
            "<=" => compared <= 0,
            ">=" => compared >= 0,
            _ => false,
        };
    }

    public override IEnumerable<string> Fields() => [field];
}

internal sealed class SoqlIn(string field, IReadOnlyList<SoqlValue> values, bool negated) : SoqlCondition
{
    public override bool Matches(JsonObject record)
    {
        var stored = Field(record, field);
        return values.Any(v => v.CompareWith(stored, field) == 0) != negated;
    }

    public override IEnumerable<string> Fields() => [field];
}

/// <summary><c>field LIKE 'pattern'</c>: <c>%</c> any run, <c>_</c> one character, case-insensitive; <c>\%</c> and <c>\_</c> literal.</summary>
internal sealed class SoqlLike : SoqlCondition
{
    private readonly string _field;
    private readonly Regex _pattern;

    public SoqlLike(string field, string pattern)
    {
        _field = field;
        var regex = new StringBuilder("^");
        foreach (var c in pattern)
        {
            regex.Append(c switch
            {
                '%' => ".*",
                '_' => ".",
                SoqlLexer.LiteralPercent => "%",
                SoqlLexer.LiteralUnderscore => "_",
                _ => Regex.Escape(c.ToString()),
            });
        }

        _pattern = new Regex(regex.Append('$').ToString(), RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    public override bool Matches(JsonObject record) =>
        Field(record, _field) is JsonValue value && value.TryGetValue<string>(out var text) && _pattern.IsMatch(text);

    public override IEnumerable<string> Fields() => [_field];
}
