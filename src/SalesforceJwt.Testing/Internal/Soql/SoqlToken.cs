namespace SalesforceJwt.Testing.Internal.Soql;

internal enum SoqlTokenKind
{
    Word,
    String,
    Number,
    Symbol,
    End,
}

/// <summary>One token; <see cref="Text"/> is the decoded value of a string literal.</summary>
internal readonly record struct SoqlToken(SoqlTokenKind Kind, string Text, int Position)
{
    public bool Is(string keyword) => Kind == SoqlTokenKind.Word && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);

    public bool IsSymbol(string symbol) => Kind == SoqlTokenKind.Symbol && Text == symbol;
}
