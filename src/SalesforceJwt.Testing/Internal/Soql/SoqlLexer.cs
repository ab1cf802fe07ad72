using System.Globalization;
using System.Text;

namespace SalesforceJwt.Testing.Internal.Soql;

/// <summary>
/// Splits SOQL into tokens. String literals are decoded with SOQL's escapes; <c>\%</c> and <c>\_</c> become
/// <see cref="LiteralPercent"/> and <see cref="LiteralUnderscore"/> so that LIKE can tell them from wildcards.
/// Any other backslash sequence is a <c>MALFORMED_QUERY</c>, as in Salesforce.
/// </summary>
internal static class SoqlLexer
{
    public const char LiteralPercent = '\uE000';
    public const char LiteralUnderscore = '\uE001';

    public static List<SoqlToken> Tokenize(string soql)
    {
        var tokens = new List<SoqlToken>();
        var i = 0;
        while (i < soql.Length)
        {
            var c = soql[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '\'')
            {
                tokens.Add(new SoqlToken(SoqlTokenKind.String, ReadString(soql, ref i), i));
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < soql.Length && (char.IsLetterOrDigit(soql[i]) || soql[i] is '_' or '.'))
                {
                    i++;
                }

                tokens.Add(new SoqlToken(SoqlTokenKind.Word, soql[start..i], start));
            }
            else if (char.IsDigit(c) || (c == '-' && i + 1 < soql.Length && char.IsDigit(soql[i + 1])))
            {
                // Numbers, dates (2024-01-02) and datetimes (2024-01-02T10:00:00Z, ...+01:00) are unquoted literals.
                var start = i++;
                while (i < soql.Length && (char.IsLetterOrDigit(soql[i]) || soql[i] is '.' or ':' or '-' or '+'))
                {
                    i++;
                }

                tokens.Add(new SoqlToken(SoqlTokenKind.Number, soql[start..i], start));
            }
            else
            {
                var two = i + 1 < soql.Length ? soql.Substring(i, 2) : null;
                if (two is "!=" or "<>" or "<=" or ">=")
                {
                    tokens.Add(new SoqlToken(SoqlTokenKind.Symbol, two == "<>" ? "!=" : two, i));
                    i += 2;
                }
                else if (c is '=' or '<' or '>' or '(' or ')' or ',')
                {
                    tokens.Add(new SoqlToken(SoqlTokenKind.Symbol, c.ToString(), i));
                    i++;
                }
                else
                {
                    throw SoqlException.Malformed($"unexpected token: '{c}' at column {i + 1}");
                }
            }
        }

        tokens.Add(new SoqlToken(SoqlTokenKind.End, string.Empty, soql.Length));
        return tokens;
    }

    private static string ReadString(string soql, ref int i)
    {
        var start = i++;
        var value = new StringBuilder();
        while (i < soql.Length)
        {
            var c = soql[i++];
            if (c == '\'')
            {
                return value.ToString();
            }

            if (c != '\\')
            {
                value.Append(c);
                continue;
            }

            if (i >= soql.Length)
            {
                break;
            }

            var e = soql[i++];
            switch (e)
            {
                case 'n': value.Append('\n'); break;
                case 'r': value.Append('\r'); break;
                case 't': value.Append('\t'); break;
                case 'b': value.Append('\b'); break;
                case 'f': value.Append('\f'); break;
                case '"': value.Append('"'); break;
                case '\'': value.Append('\''); break;
                case '\\': value.Append('\\'); break;
                case '%': value.Append(LiteralPercent); break;
                case '_': value.Append(LiteralUnderscore); break;
                case 'u' when i + 4 <= soql.Length && int.TryParse(soql.AsSpan(i, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code):
                    value.Append((char)code);
                    i += 4;
                    break;
                default:
                    throw SoqlException.Malformed($"Invalid string literal '{soql[start..Math.Min(soql.Length, i)]}'. Illegal character sequence '\\{e}' in string literal.");
            }
        }

        throw SoqlException.Malformed($"unterminated string literal starting at column {start + 1}");
    }
}
