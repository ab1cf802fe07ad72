using System.Globalization;
using System.Text.Json.Nodes;

namespace SalesforceJwt.Testing.Internal.Soql;

/// <summary>
/// The SOQL the fake runs: <c>SELECT</c> plain fields or <c>COUNT()</c> <c>FROM</c> one object, <c>WHERE</c> with
/// <c>= != &lt; &gt; &lt;= &gt;= IN NOT IN LIKE AND OR NOT</c> and parentheses, <c>ORDER BY</c> (ASC/DESC, NULLS FIRST/LAST),
/// <c>LIMIT</c> and <c>OFFSET</c>. Anything else (relationship fields, subqueries, GROUP BY, functions, date literals
/// such as TODAY) is refused with <c>MALFORMED_QUERY</c>, never ignored.
/// </summary>
internal sealed class SoqlQuery
{
    private const int MaxOffset = 2000;

    private static readonly string[] s_unsupported = ["GROUP", "HAVING", "WITH", "FOR", "USING", "TYPEOF", "UPDATE", "ALL"];

    private readonly List<SoqlToken> _tokens;
    private int _at;

    private SoqlQuery(string soql) => _tokens = SoqlLexer.Tokenize(soql);

    public bool IsCount { get; private set; }

    public List<string> Fields { get; } = [];

    public string From { get; private set; } = string.Empty;

    public SoqlCondition? Where { get; private set; }

    public List<(string Field, bool Descending, bool NullsFirst)> OrderBy { get; } = [];

    public int? Limit { get; private set; }

    public int Offset { get; private set; }

    /// <summary>Every field the query names, for checks against a defined schema.</summary>
    public IEnumerable<string> ReferencedFields => Fields.Concat(Where?.Fields() ?? []).Concat(OrderBy.Select(o => o.Field));

    public static SoqlQuery Parse(string soql)
    {
        var query = new SoqlQuery(soql);
        query.ParseQuery();
        return query;
    }

    /// <summary>Filters, sorts and cuts the records; projection is separate so that paging can keep the rows.</summary>
    public List<JsonObject> Run(IEnumerable<JsonObject> records)
    {
        var rows = records.Where(r => Where is null || Where.Matches(r));
        IOrderedEnumerable<JsonObject>? ordered = null;
        foreach (var (field, descending, nullsFirst) in OrderBy)
        {
            var comparer = new FieldComparer(nullsFirst, descending);
            ordered = ordered is null
                ? descending ? rows.OrderByDescending(r => SoqlCondition.Field(r, field), comparer) : rows.OrderBy(r => SoqlCondition.Field(r, field), comparer)
                : descending ? ordered.ThenByDescending(r => SoqlCondition.Field(r, field), comparer) : ordered.ThenBy(r => SoqlCondition.Field(r, field), comparer);
        }

        rows = (ordered ?? rows).Skip(Offset);
        if (Limit is { } limit)
        {
            rows = rows.Take(limit);
        }

        return rows.ToList();
    }

    /// <summary>The record as a query returns it: <c>attributes</c> first, then the selected fields only.</summary>
    public JsonObject Project(JsonObject record, string type, string version)
    {
        var id = SoqlCondition.Field(record, "Id")?.GetValue<string>();
        var row = new JsonObject { ["attributes"] = new JsonObject { ["type"] = type, ["url"] = $"/services/data/{version}/sobjects/{type}/{id}" } };
        foreach (var field in Fields)
        {
            var name = record.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, field, StringComparison.OrdinalIgnoreCase)) ?? field;
            row[name] = SoqlCondition.Field(record, field)?.DeepClone();
        }

        return row;
    }

    private SoqlToken Peek => _tokens[_at];

    private SoqlToken Next() => _tokens[_at++];

    private void Expect(string keyword)
    {
        if (!Next().Is(keyword))
        {
            throw SoqlException.Malformed($"unexpected token: '{_tokens[_at - 1].Text}', expected {keyword}");
        }
    }

    private void ExpectSymbol(string symbol)
    {
        if (!Next().IsSymbol(symbol))
        {
            throw SoqlException.Malformed($"unexpected token: '{_tokens[_at - 1].Text}', expected '{symbol}'");
        }
    }

    private void ParseQuery()
    {
        Expect("SELECT");
        if (Peek.Is("COUNT") && _tokens[_at + 1].IsSymbol("("))
        {
            _at++;
            ExpectSymbol("(");
            ExpectSymbol(")");
            IsCount = true;
        }
        else
        {
            do
            {
                Fields.Add(FieldName());
            }
            while (Peek.IsSymbol(",") && Next().IsSymbol(","));
        }

        Expect("FROM");
        From = FieldName();
        if (Peek.Is("WHERE"))
        {
            _at++;
            Where = ParseOr();
        }

        if (Peek.Is("ORDER"))
        {
            _at++;
            Expect("BY");
            do
            {
                var field = FieldName();
                var descending = Peek.Is("DESC");
                if (descending || Peek.Is("ASC"))
                {
                    _at++;
                }

                var nullsFirst = !descending;
                if (Peek.Is("NULLS"))
                {
                    _at++;
                    var which = Next();
                    nullsFirst = which.Is("FIRST") || (which.Is("LAST") ? false : throw SoqlException.Malformed($"unexpected token: '{which.Text}'"));
                }

                OrderBy.Add((field, descending, nullsFirst));
            }
            while (Peek.IsSymbol(",") && Next().IsSymbol(","));
        }

        if (Peek.Is("LIMIT"))
        {
            _at++;
            Limit = Integer("LIMIT");
        }

        if (Peek.Is("OFFSET"))
        {
            _at++;
            Offset = Integer("OFFSET");
            if (Offset > MaxOffset)
            {
                throw new SoqlException("NUMBER_OUTSIDE_VALID_RANGE", $"Maximum SOQL offset allowed is {MaxOffset}");
            }
        }

        if (Peek.Kind != SoqlTokenKind.End)
        {
            throw SoqlException.Malformed($"unexpected token: '{Peek.Text}'" + (s_unsupported.Any(Peek.Is) ? " (FakeSalesforceOrg does not support this clause)" : string.Empty));
        }
    }

    private string FieldName()
    {
        var token = Next();
        if (token.Kind != SoqlTokenKind.Word || IsKeyword(token))
        {
            throw SoqlException.Malformed($"unexpected token: '{token.Text}'");
        }

        if (token.Text.Contains('.', StringComparison.Ordinal))
        {
            throw SoqlException.Malformed($"unexpected token: '{token.Text}' (FakeSalesforceOrg does not support relationship fields)");
        }

        if (Peek.IsSymbol("("))
        {
            throw SoqlException.Malformed($"unexpected token: '(' after {token.Text} (FakeSalesforceOrg supports no functions but COUNT())");
        }

        return token.Text;
    }

    private static bool IsKeyword(SoqlToken token) =>
        token.Is("SELECT") || token.Is("FROM") || token.Is("WHERE") || token.Is("AND") || token.Is("OR") || token.Is("NOT") || token.Is("ORDER")
        || token.Is("BY") || token.Is("LIMIT") || token.Is("OFFSET") || token.Is("IN") || token.Is("LIKE") || token.Is("NULLS") || s_unsupported.Any(token.Is);

    private int Integer(string clause)
    {
        var token = Next();
        if (token.Kind != SoqlTokenKind.Number || !int.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw SoqlException.Malformed($"unexpected token: '{token.Text}', expected a whole number after {clause}");
        }

        return value;
    }

    private SoqlCondition ParseOr()
    {
        var left = ParseAnd();
        while (Peek.Is("OR"))
        {
            _at++;
            left = new SoqlOr(left, ParseAnd());
        }

        return left;
    }

    private SoqlCondition ParseAnd()
    {
        var left = ParseFactor();
        while (Peek.Is("AND"))
        {
            _at++;
            left = new SoqlAnd(left, ParseFactor());
        }

        return left;
    }

    private SoqlCondition ParseFactor()
    {
        if (Peek.Is("NOT"))
        {
            _at++;
            return new SoqlNot(ParseFactor());
        }

        if (Peek.IsSymbol("("))
        {
            _at++;
            var inner = ParseOr();
            ExpectSymbol(")");
            return inner;
        }

        var field = FieldName();
        var op = Next();
        if (op.Kind == SoqlTokenKind.Symbol && op.Text is "=" or "!=" or "<" or ">" or "<=" or ">=")
        {
            return new SoqlComparison(field, op.Text, SoqlValue.From(Next()));
        }

        if (op.Is("LIKE"))
        {
            var pattern = Next();
            return pattern.Kind == SoqlTokenKind.String
                ? new SoqlLike(field, pattern.Text)
                : throw SoqlException.Malformed($"unexpected token: '{pattern.Text}', LIKE needs a string literal");
        }

        var negated = op.Is("NOT");
        if (negated)
        {
            op = Next();
        }

        if (op.Is("IN"))
        {
            ExpectSymbol("(");
            if (Peek.Is("SELECT"))
            {
                throw SoqlException.Malformed("unexpected token: 'SELECT' (FakeSalesforceOrg does not support semi-joins)");
            }

            var values = new List<SoqlValue>();
            do
            {
                values.Add(SoqlValue.From(Next()));
            }
            while (Peek.IsSymbol(",") && Next().IsSymbol(","));

            ExpectSymbol(")");
            return new SoqlIn(field, values, negated);
        }

        throw SoqlException.Malformed($"unexpected token: '{op.Text}'");
    }

    /// <summary>Orders field values as SOQL does: nulls first or last, then numbers, strings (case-insensitive), bools.</summary>
    private sealed class FieldComparer(bool nullsFirst, bool descending) : IComparer<JsonNode?>
    {
        public int Compare(JsonNode? x, JsonNode? y)
        {
            if (x is null || y is null)
            {
                if (x is null && y is null)
                {
                    return 0;
                }

                // The order flips under OrderByDescending, so flip the null rule back.
                var nullLow = nullsFirst != descending;
                return x is null ? (nullLow ? -1 : 1) : (nullLow ? 1 : -1);
            }

            var a = x.AsValue();
            var b = y.AsValue();
            if (a.TryGetValue<decimal>(out var da) && b.TryGetValue<decimal>(out var db))
            {
                return da.CompareTo(db);
            }

            if (a.TryGetValue<string>(out var sa) && b.TryGetValue<string>(out var sb))
            {
                return StringComparer.OrdinalIgnoreCase.Compare(sa, sb);
            }

            return StringComparer.Ordinal.Compare(x.ToJsonString(), y.ToJsonString());
        }
    }
}
