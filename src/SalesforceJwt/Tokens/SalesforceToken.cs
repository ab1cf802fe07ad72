using System.Net.Http.Headers;
using System.Runtime.Serialization;
using System.Text.Json.Serialization;
using SalesforceJwt.Internal;
using SalesforceJwt.Tokens.Internal;

namespace SalesforceJwt.Tokens;

/// <summary>
/// An access token from the JWT bearer flow and where to use it. The token is a Salesforce session: it carries no
/// expiry and lives until the session's idle timeout. Neither <see cref="ToString"/> nor JSON serialization ever shows
/// the token.
/// </summary>
public sealed class SalesforceToken
{
    /// <summary>Initializes a new instance of the <see cref="SalesforceToken"/> class.</summary>
    /// <param name="accessToken">The access token (session id).</param>
    /// <param name="instanceUrl">The base URL of the org's APIs, from <c>instance_url</c>.</param>
    /// <param name="acquiredAt">When the token was received.</param>
    public SalesforceToken(string accessToken, Uri instanceUrl, DateTimeOffset acquiredAt)
    {
        Guard.NotNullOrEmpty(accessToken);
        Guard.NotNull(instanceUrl);
        if (!instanceUrl.IsAbsoluteUri)
        {
            throw new ArgumentException("The instance URL must be absolute, such as https://MyDomain.my.salesforce.com.", nameof(instanceUrl));
        }

        AccessToken = accessToken;
        InstanceUrl = instanceUrl;
        InstanceOrigin = $"{instanceUrl.Scheme}://{instanceUrl.Authority}";
        AuthorizationHeader = new SalesforceJwt.Http.Internal.SalesforceBearerHeader(accessToken);
        AcquiredAt = acquiredAt;
    }

    /// <summary>Gets the access token. Send it only to <see cref="InstanceUrl"/>; never log it. Never serialized.</summary>
    [JsonIgnore]
    [IgnoreDataMember] // Honoured by Newtonsoft.Json and DataContractSerializer, which do not read System.Text.Json's attribute.
    public string AccessToken { get; }

    /// <summary>Gets the base URL of the org's APIs (<c>instance_url</c>).</summary>
    public Uri InstanceUrl { get; }

    /// <summary>Gets the instance's scheme, host and port (never a user name or path), which every request URI is built on.</summary>
    internal string InstanceOrigin { get; }

    /// <summary>Gets the <c>Authorization</c> value, made once per token rather than once per request.</summary>
    internal AuthenticationHeaderValue AuthorizationHeader { get; }

    /// <summary>
    /// Gets or sets what the library's own provider knows of the token's use (set once, when the provider issues it);
    /// <see langword="null"/> for tokens from anywhere else. Read by the handler on every request instead of a table lookup.
    /// </summary>
    internal TokenState? State { get; set; }

    /// <summary>Gets when the token was received, by the connection's clock.</summary>
    public DateTimeOffset AcquiredAt { get; }

    /// <summary>Gets the identity URL (<c>id</c>), of the form <c>https://host/id/{orgId}/{userId}</c>.</summary>
    public Uri? IdentityUrl { get; init; }

    /// <summary>Gets the 18-character org id parsed from <see cref="IdentityUrl"/>.</summary>
    public string? OrganizationId { get; init; }

    /// <summary>Gets the 18-character user id parsed from <see cref="IdentityUrl"/>.</summary>
    public string? UserId { get; init; }

    /// <summary>Gets the space-separated scopes the app was granted.</summary>
    public string? Scope { get; init; }

    /// <summary>Gets the token type, normally <c>Bearer</c>.</summary>
    public string TokenType { get; init; } = "Bearer";

    /// <summary>Gets when Salesforce says it issued the token (<c>issued_at</c>), when it says so.</summary>
    public DateTimeOffset? IssuedAt { get; init; }

    /// <summary>Gets the Experience Cloud site URL (<c>sfdc_site_url</c> or <c>sfdc_community_url</c>), when the user belongs to one.</summary>
    public Uri? SiteUrl { get; init; }

    /// <summary>Gets the username the token was issued for.</summary>
    public string? Username { get; init; }

    /// <summary>
    /// Gets the expiry of a JWT-format access token (its own <c>exp</c>), when the app issues those; <see langword="null"/>
    /// for ordinary session ids, which have no expiry of their own.
    /// </summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <inheritdoc />
    public override string ToString() =>
        $"SalesforceToken {{ InstanceUrl = {InstanceUrl}, OrganizationId = {OrganizationId}, UserId = {UserId}, Scope = {Scope}, AccessToken = [redacted] }}";
}
