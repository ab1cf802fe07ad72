using System.Globalization;
using System.Text.Json;
using SalesforceJwt.Tokens;

namespace SalesforceJwt.StackExchangeRedis.Internal;

/// <summary>
/// A shared token as UTF-8 JSON, everything a token carries plus its session's last recorded activity and what the
/// writer knew of the session timeout (<c>session_timeout</c>, optional). Written and read by hand (no reflection): the
/// format is this package's, versioned by <c>v</c>, and is encrypted before it leaves. Optional fields added later keep
/// <c>v</c>: older readers skip them, and entries without them still read.
/// </summary>
internal static class SharedTokenSerializer
{
    private const int Version = 1;

    public static byte[] Serialize(SalesforceSharedToken shared)
    {
        var token = shared.Token;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("v", Version);
            json.WriteString("access_token", token.AccessToken);
            json.WriteString("instance_url", token.InstanceUrl.OriginalString);
            json.WriteString("acquired_at", token.AcquiredAt);
            json.WriteString("last_activity", shared.LastRecordedActivity);
            json.WriteString("token_type", token.TokenType);
            WriteIfSet(json, "id", token.IdentityUrl?.OriginalString);
            WriteIfSet(json, "organization_id", token.OrganizationId);
            WriteIfSet(json, "user_id", token.UserId);
            WriteIfSet(json, "scope", token.Scope);
            WriteIfSet(json, "username", token.Username);
            WriteIfSet(json, "sfdc_site_url", token.SiteUrl?.OriginalString);
            WriteIfSet(json, "session_timeout", shared.SessionTimeoutEvidence);
            if (token.IssuedAt is { } issued)
            {
                json.WriteString("issued_at", issued);
            }

            if (token.ExpiresAt is { } expires)
            {
                json.WriteString("expires_at", expires);
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static SalesforceSharedToken Deserialize(byte[] utf8)
    {
        using var document = JsonDocument.Parse(utf8);
        var root = document.RootElement;
        if (!root.TryGetProperty("v", out var version) || version.GetInt32() != Version)
        {
            throw new FormatException("The shared token was written by another version of SalesforceJwt.StackExchangeRedis.");
        }

        var token = new SalesforceToken(
            root.GetProperty("access_token").GetString()!,
            new Uri(root.GetProperty("instance_url").GetString()!, UriKind.Absolute),
            root.GetProperty("acquired_at").GetDateTimeOffset())
        {
            TokenType = root.GetProperty("token_type").GetString() ?? "Bearer",
            IdentityUrl = Text(root, "id") is { } id ? new Uri(id, UriKind.Absolute) : null,
            OrganizationId = Text(root, "organization_id"),
            UserId = Text(root, "user_id"),
            Scope = Text(root, "scope"),
            Username = Text(root, "username"),
            SiteUrl = Text(root, "sfdc_site_url") is { } site ? new Uri(site, UriKind.Absolute) : null,
            IssuedAt = Time(root, "issued_at"),
            ExpiresAt = Time(root, "expires_at"),
        };
        return new SalesforceSharedToken(token, root.GetProperty("last_activity").GetDateTimeOffset())
        {
            SessionTimeoutEvidence = Text(root, "session_timeout"),
        };
    }

    private static void WriteIfSet(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTimeOffset? Time(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)
            : null;
}
