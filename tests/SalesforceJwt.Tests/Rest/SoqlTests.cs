using SalesforceJwt.Rest;

namespace SalesforceJwt.Tests.Rest;

public sealed class SoqlTests
{
    [Theory]
    [InlineData("Acme", "'Acme'")]
    [InlineData("O'Brien", "'O\\'Brien'")]
    [InlineData("a\\b", "'a\\\\b'")]
    [InlineData("\\'", "'\\\\\\''")]
    [InlineData("line1\nline2\r\t", "'line1\\nline2\\r\\t'")]
    [InlineData("say \"hi\"", "'say \\\"hi\\\"'")]
    [InlineData("bell\u0007", "'bell\\u0007'")]
    public void Quote_EscapesTheBackslashFirst_ThenQuotesAndControlCharacters(string value, string expected) =>
        Assert.Equal(expected, Soql.Quote(value));

    [Fact]
    public void Format_TurnsEachValueIntoItsSoqlLiteral()
    {
        var since = new DateTimeOffset(2024, 1, 2, 11, 0, 0, TimeSpan.FromHours(1));
        string? none = null;

        var soql = Soql.Format($"SELECT Id FROM Account WHERE Name = {"O'Brien"} AND Active__c = {true} AND Employees > {1500.5m} AND CreatedDate > {since} AND Owner = {none} AND Id IN {new[] { "a", "b" }} LIMIT {10}");

        Assert.Equal("SELECT Id FROM Account WHERE Name = 'O\\'Brien' AND Active__c = true AND Employees > 1500.5 AND CreatedDate > 2024-01-02T10:00:00Z AND Owner = null AND Id IN ('a','b') LIMIT 10", soql);
    }

#if !LIBRARY_NETSTANDARD
    [Fact]
    public void Format_DateOnly_IsAnUnquotedDate() =>
        Assert.Equal("SELECT Id FROM Event WHERE ActivityDate = 2024-01-02", Soql.Format($"SELECT Id FROM Event WHERE ActivityDate = {new DateOnly(2024, 1, 2)}"));
#endif

    [Fact]
    public void Format_ValuesWithoutALiteral_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => Soql.Format($"SELECT Id FROM Account WHERE Id = {new object()}"));
        Assert.Throws<ArgumentException>(() => Soql.Format($"SELECT Id FROM Account WHERE Id IN {Array.Empty<string>()}"));
        Assert.Throws<ArgumentException>(() => Soql.Format($"SELECT Id FROM Account WHERE X = {double.NaN}"));
    }

    [Fact]
    public void LikeText_EscapesWildcards_SoTheyMatchThemselves() =>
        Assert.Equal("'50\\\\% off\\\\_now'", Soql.Quote(Soql.LikeText("50% off_now")));
}
