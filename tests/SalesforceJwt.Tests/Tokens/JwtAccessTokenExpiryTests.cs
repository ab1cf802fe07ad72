using System.Text;
using SalesforceJwt.Tokens.Internal;

namespace SalesforceJwt.Tests.Tokens;

public sealed class JwtAccessTokenExpiryTests
{
    private static string Part(string json) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Token(string payload) => Part("""{"alg":"RS256","kid":"CORE"}""") + "." + Part(payload) + ".c2lnbmF0dXJl";

    [Fact]
    public void Read_JwtAccessToken_ReturnsItsExpInUtc()
    {
        var token = Token("""{"iss":"https://acme.my.salesforce.com","scp":["api"],"nested":{"exp":1},"exp":1795000000,"sub":"005"}""");

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1795000000), JwtAccessTokenExpiry.Read(token));
    }

    [Theory]
    [InlineData("00DFK0000000001!AQEAQOpaque.SessionId")]
    [InlineData("00DFK0000000001!AQEAQ")]
    [InlineData("a.b.c")]
    [InlineData("..")]
    public void Read_OpaqueOrMalformedToken_ReturnsNull(string token) => Assert.Null(JwtAccessTokenExpiry.Read(token));

    [Theory]
    [InlineData("""{"iss":"x"}""")]
    [InlineData("""{"exp":"1795000000"}""")]
    [InlineData("""{"exp":-5}""")]
    [InlineData("""[1795000000]""")]
    [InlineData("""{"exp":1795000000""")]
    public void Read_PayloadWithoutAUsableExp_ReturnsNull(string payload) => Assert.Null(JwtAccessTokenExpiry.Read(Token(payload)));
}
