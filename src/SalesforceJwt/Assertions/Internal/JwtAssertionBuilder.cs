using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SalesforceJwt.Assertions.Internal;

/// <summary>Signs the RS256 assertion Salesforce exchanges for a token: iss, sub, aud and exp, nothing more.</summary>
internal sealed class JwtAssertionBuilder
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly SigningCredentials _credentials;
    private readonly TimeProvider _timeProvider;

    public JwtAssertionBuilder(RSA key, TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;

        // IdentityModel caches signature providers by key; a cached provider can outlive the RSA object it wraps
        // and fail later signings (facts §9 #14). A provider per signature costs little at one login per session.
        _credentials = new SigningCredentials(new RsaSecurityKey(key), SecurityAlgorithms.RsaSha256)
        {
            CryptoProviderFactory = new CryptoProviderFactory { CacheSignatureProviders = false },
        };
    }

    public string Build(string consumerKey, string username, string audience, TimeSpan lifetime)
    {
        // Whole seconds, always UTC: a local-time or millisecond exp is the classic "expired authorization code".
        var expires = DateTimeOffset.FromUnixTimeSeconds(_timeProvider.GetUtcNow().Add(lifetime).ToUnixTimeSeconds());
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = consumerKey,
            Audience = audience,
            Expires = expires.UtcDateTime,
            Claims = new Dictionary<string, object> { [JwtRegisteredClaimNames.Sub] = username },
            SigningCredentials = _credentials,
        };
        return _handler.CreateToken(descriptor);
    }
}
