using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using SalesforceJwt.Assertions.Internal;
using SalesforceJwt.Tests.TestSupport;

namespace SalesforceJwt.Tests.Assertions;

public sealed class JwtAssertionBuilderTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 26, 10, 0, 0, 500, TimeSpan.Zero);

    [Fact]
    public void Build_SignsWithTheKey_VerifiesWithTheCertificatesPublicKey()
    {
        using var rsa = RSA.Create(2048);
        using var certificate = TestKeys.SelfSigned(rsa);
        var builder = new JwtAssertionBuilder(rsa, new FakeTimeProvider(s_now));

        var jwt = builder.Build("consumer-key", "user@example.com", "https://login.salesforce.com", TimeSpan.FromMinutes(2));

        using var publicKey = certificate.GetRSAPublicKey()!;
        Assert.True(JwtParts.Verifies(jwt, publicKey));
    }

    [Fact]
    public void Build_CarriesExactlyIssSubAudExp_AndAnRs256Header()
    {
        var builder = new JwtAssertionBuilder(TestKeys.Shared, new FakeTimeProvider(s_now));

        var jwt = builder.Build("3MVG9-key", "integration@acme.com.uat", "https://test.salesforce.com", TimeSpan.FromMinutes(2));

        var (header, payload) = JwtParts.Decode(jwt);
        Assert.Equal("RS256", header.GetProperty("alg").GetString());
        Assert.Equal("JWT", header.GetProperty("typ").GetString());
        Assert.False(header.TryGetProperty("kid", out _));
        Assert.Equal(["aud", "exp", "iss", "sub"], JwtParts.PropertyNames(payload));
        Assert.Equal("3MVG9-key", payload.GetProperty("iss").GetString());
        Assert.Equal("integration@acme.com.uat", payload.GetProperty("sub").GetString());
        Assert.Equal("https://test.salesforce.com", payload.GetProperty("aud").GetString());
    }

    [Fact]
    public void Build_ExpIsNowPlusLifetime_InWholeUtcSeconds()
    {
        var time = new FakeTimeProvider(s_now);
        var builder = new JwtAssertionBuilder(TestKeys.Shared, time);

        var first = JwtParts.Decode(builder.Build("k", "u", "https://login.salesforce.com", TimeSpan.FromMinutes(2))).Payload;
        time.Advance(TimeSpan.FromMinutes(10));
        var later = JwtParts.Decode(builder.Build("k", "u", "https://login.salesforce.com", TimeSpan.FromMinutes(2))).Payload;

        Assert.Equal(System.Text.Json.JsonValueKind.Number, first.GetProperty("exp").ValueKind);
        Assert.Equal(s_now.AddMinutes(2).ToUnixTimeSeconds(), first.GetProperty("exp").GetInt64());
        Assert.Equal(s_now.AddMinutes(12).ToUnixTimeSeconds(), later.GetProperty("exp").GetInt64());
    }

    [Fact]
    public void Build_AThousandAssertions_AllVerify()
    {
        // IdentityModel's signature-provider cache once broke every signing after the first (docs/salesforce-behaviour.md#identitymodel-signature-provider-cache).
        using var rsa = RSA.Create(2048);
        using var publicKey = RSA.Create();
        publicKey.ImportParameters(rsa.ExportParameters(includePrivateParameters: false));
        var time = new FakeTimeProvider(s_now);
        var builder = new JwtAssertionBuilder(rsa, time);

        for (var i = 0; i < 1000; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            var jwt = builder.Build("k", "u", "https://login.salesforce.com", TimeSpan.FromMinutes(2));
            Assert.True(JwtParts.Verifies(jwt, publicKey), $"assertion {i + 1} does not verify");
        }
    }

    [Fact]
    public void Build_TwoBuildersOnDifferentKeys_EachSignsWithItsOwn()
    {
        using var first = RSA.Create(2048);
        using var second = RSA.Create(2048);
        var a = new JwtAssertionBuilder(first, TimeProvider.System).Build("k", "u", "https://login.salesforce.com", TimeSpan.FromMinutes(2));
        var b = new JwtAssertionBuilder(second, TimeProvider.System).Build("k", "u", "https://login.salesforce.com", TimeSpan.FromMinutes(2));

        Assert.True(JwtParts.Verifies(a, first));
        Assert.False(JwtParts.Verifies(a, second));
        Assert.True(JwtParts.Verifies(b, second));
    }

    [Theory]
    [InlineData("integration+jwt@acme.com")]
    [InlineData("zoë.müller@acme.de")]
    [InlineData("quote\"back\\slash@acme.com")]
    public void Build_UsernamesWithPlusNonAsciiOrJsonSpecials_RoundTripExactly(string username)
    {
        var builder = new JwtAssertionBuilder(TestKeys.Shared, new FakeTimeProvider(s_now));

        var jwt = builder.Build("k", username, "https://login.salesforce.com", TimeSpan.FromMinutes(2));

        Assert.Equal(username, JwtParts.Decode(jwt).Payload.GetProperty("sub").GetString());
        Assert.True(JwtParts.Verifies(jwt, TestKeys.Shared));
    }

    [Fact]
    public void Build_HeaderIsExactlyAlgAndTyp()
    {
        var jwt = new JwtAssertionBuilder(TestKeys.Shared, new FakeTimeProvider(s_now)).Build("k", "u", "https://login.salesforce.com", TimeSpan.FromMinutes(2));

        Assert.Equal("""{"alg":"RS256","typ":"JWT"}""", System.Text.Encoding.ASCII.GetString(JwtParts.Base64UrlDecode(jwt.Split('.')[0])));
    }
}
