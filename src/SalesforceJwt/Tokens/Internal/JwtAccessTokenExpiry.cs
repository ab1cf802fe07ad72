using System.Text.Json;
using SalesforceJwt.Internal;

namespace SalesforceJwt.Tokens.Internal;

/// <summary>
/// Reads the <c>exp</c> claim of a JWT-format access token ("Issue JSON Web Token (JWT)-based access tokens") without
/// validating it: only the client's own clock planning depends on it, and Salesforce still decides what it accepts.
/// </summary>
internal static class JwtAccessTokenExpiry
{
    public static DateTimeOffset? Read(string accessToken)
    {
        var parts = accessToken.Split('.');
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0 || Base64UrlEncoding.TryDecode(parts[1]) is not { } payload)
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(payload);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isExp = reader.ValueTextEquals("exp"u8);
                if (!reader.Read())
                {
                    return null;
                }

                if (isExp)
                {
                    return reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var seconds) && seconds is > 0 and < 253402300800
                        ? DateTimeOffset.FromUnixTimeSeconds((long)seconds)
                        : null;
                }

                reader.Skip();
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
