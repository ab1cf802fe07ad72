using System.Collections;
using System.Globalization;
using System.Text;
using SalesforceJwt.Internal;

namespace SalesforceJwt.Rest;

/// <summary>
/// Builds SOQL with values from input that cannot change the query: strings become quoted literals with every special
/// character escaped (docs/salesforce-behaviour.md#soql-string-literals), other values become SOQL's own literals.
/// </summary>
/// <example>
/// <code>var soql = Soql.Format($"SELECT Id, Name FROM Account WHERE Name = {name} AND CreatedDate > {since} LIMIT {10}");</code>
/// </example>
public static class Soql
{
    /// <summary>
    /// Formats an interpolated query, turning each interpolated value into a SOQL literal: a string into a quoted, escaped
    /// literal; <see langword="null"/> into <c>null</c>; <see cref="bool"/> into <c>true</c>/<c>false</c>; numbers in
    /// invariant culture; <see cref="DateTimeOffset"/> and <see cref="DateTime"/> into UTC datetimes such as
    /// <c>2024-01-02T10:00:00Z</c>; <c>DateOnly</c> into <c>2024-01-02</c>; a sequence into a list for <c>IN</c>, such as <c>('a','b')</c>.
    /// </summary>
    /// <param name="query">The query, written as an interpolated string.</param>
    /// <returns>The SOQL text.</returns>
    /// <exception cref="ArgumentException">A value has a type SOQL has no literal for.</exception>
    public static string Format(FormattableString query)
    {
        Guard.NotNull(query);
        var arguments = query.GetArguments();
        var literals = new object[arguments.Length];
        for (var i = 0; i < arguments.Length; i++)
        {
            literals[i] = Literal(arguments[i]);
        }

        return string.Format(CultureInfo.InvariantCulture, query.Format, literals);
    }

    /// <summary>Escapes a string and puts it between single quotes, ready to stand in a SOQL query as a literal.</summary>
    /// <param name="value">The text.</param>
    /// <returns>The quoted literal, such as <c>'O\'Brien'</c>.</returns>
    public static string Quote(string value)
    {
        Guard.NotNull(value);
        var builder = new StringBuilder(value.Length + 8).Append('\'');
        foreach (var c in value)
        {
            // The backslash first: every other escape adds one, and must not be doubled again.
            _ = c switch
            {
                '\\' => builder.Append("\\\\"),
                '\'' => builder.Append("\\'"),
                '"' => builder.Append("\\\""),
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                '\t' => builder.Append("\\t"),
                '\b' => builder.Append("\\b"),
                '\f' => builder.Append("\\f"),
                < ' ' => builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => builder.Append(c),
            };
        }

        return builder.Append('\'').ToString();
    }

    /// <summary>
    /// Escapes a string for use inside a <c>LIKE</c> pattern so that its <c>%</c> and <c>_</c> match themselves; add
    /// your own wildcards around it and pass the result to <see cref="Format"/> or <see cref="Quote"/>.
    /// </summary>
    /// <param name="value">The text to match literally.</param>
    /// <returns>The text with <c>%</c> and <c>_</c> escaped.</returns>
    /// <remarks>The result is not yet a literal: <see cref="Quote"/> still escapes its backslashes, which SOQL reads back as <c>\%</c> and <c>\_</c>.</remarks>
    public static string LikeText(string value)
    {
        Guard.NotNull(value);
        return value.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
    }

    private static string Literal(object? value) => value switch
    {
        null => "null",
        string s => Quote(s),
        char c => Quote(c.ToString()),
        bool b => b ? "true" : "false",
        DateTimeOffset d => d.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        DateTime d => (d.Kind == DateTimeKind.Local ? d.ToUniversalTime() : d).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
#if NET6_0_OR_GREATER
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
#endif
        byte or sbyte or short or ushort or int or uint or long or ulong or decimal => ((IFormattable)value).ToString(null, CultureInfo.InvariantCulture),
        float f when !float.IsNaN(f) && !float.IsInfinity(f) => f.ToString("R", CultureInfo.InvariantCulture),
        double d when !double.IsNaN(d) && !double.IsInfinity(d) => d.ToString("R", CultureInfo.InvariantCulture),
        Enum e => Quote(e.ToString()),
        IEnumerable items => List(items),
        _ => throw new ArgumentException(
            $"A value of type {value.GetType().Name} has no SOQL literal. Pass a string, number, bool, date, datetime or a sequence of them.", nameof(value)),
    };

    private static string List(IEnumerable items)
    {
        var literals = new List<string>();
        foreach (var item in items)
        {
            if (item is IEnumerable and not string)
            {
                throw new ArgumentException("A SOQL IN list cannot hold another list.", nameof(items));
            }

            literals.Add(Literal(item));
        }

        if (literals.Count == 0)
        {
            throw new ArgumentException("A SOQL IN list needs at least one value.", nameof(items));
        }

        return "(" + string.Join(",", literals) + ")";
    }
}
