using System.Text.Json;
using SalesforceJwt.Diagnostics;
using SalesforceJwt.Tokens;

namespace SalesforceJwt.Tests.Diagnostics;

public sealed class SafeExcerptTests
{
    [Theory]
    [InlineData("eyJ")]
    [InlineData("00DFK0000000001!")]
    [InlineData("\"access_token\":\"")]
    [InlineData(" ")]
    public void From_FourMegabytesOfAdversarialText_ReturnsAShortRedactedExcerpt(string unit)
    {
        var body = string.Concat(Enumerable.Repeat(unit, 4 * 1024 * 1024 / unit.Length));

        var excerpt = SafeExcerpt.From(body);

        Assert.NotNull(excerpt);
        Assert.True(excerpt.Length <= 201, $"{excerpt.Length} characters");
        Assert.EndsWith("…", excerpt, StringComparison.Ordinal);
    }

    [Fact]
    public void From_TokenAtTheStart_IsRedacted()
    {
        var excerpt = SafeExcerpt.From("""{"access_token":"00DFK0000000001!AQ0AQ.secret","instance_url":"https://x"}""" + new string(' ', 10_000));

        Assert.DoesNotContain("secret", excerpt, StringComparison.Ordinal);
        Assert.Contains("[redacted]", excerpt, StringComparison.Ordinal);
    }

    [Fact]
    public void SalesforceToken_SerializedOrPrinted_NeverShowsTheAccessToken()
    {
        var token = new SalesforceToken("00DFK0000000001!AQ0AQ.secret-token", new Uri("https://acme.my.salesforce.com"), DateTimeOffset.UnixEpoch) { Scope = "api" };

        var json = JsonSerializer.Serialize(token);

        Assert.DoesNotContain("secret-token", json, StringComparison.Ordinal);
        Assert.Contains("acme.my.salesforce.com", json, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-token", token.ToString(), StringComparison.Ordinal);
    }
}
