using SalesforceJwt.Internal;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Polly;
using SalesforceJwt.Diagnostics;

namespace SalesforceJwt.Tokens.Internal;

/// <summary>Posts a signed assertion to <c>{LoginUrl}/services/oauth2/token</c> and turns the answer into a token or a typed error.</summary>
internal sealed class SalesforceTokenClient(IHttpClientFactory httpClientFactory, TimeProvider timeProvider)
{
    public const string TokenPath = "services/oauth2/token";
    public const string GrantType = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    public static Uri TokenEndpoint(Uri loginUrl)
    {
        // Keep any path: an Experience Cloud site's token endpoint lives below the site path.
        var root = loginUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return new Uri($"{root}/{TokenPath}");
    }

    /// <summary>What the provider knows about the token it asks for, beyond what Salesforce returns.</summary>
    internal readonly record struct TokenContext(string Username, TimeSpan? SessionTimeout = null, bool IsRenewal = false);

    public async Task<SalesforceToken> RequestTokenAsync(Uri loginUrl, string assertion, TokenContext context, CancellationToken cancellationToken)
    {
        var endpoint = TokenEndpoint(loginUrl);
        using var content = new FormUrlEncodedContent(
        [
            new("grant_type", GrantType),
            new("assertion", assertion),
        ]);

        var client = httpClientFactory.CreateClient(SalesforceJwtDefaults.TokenClientName);
        HttpResponseMessage response;
        try
        {
            response = await client.PostAsync(endpoint, content, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new SalesforceTokenEndpointException(SalesforceErrorCode.TokenEndpointUnreachable,
                $"The token endpoint {endpoint} could not be reached: {ex.Message} Check LoginUrl, DNS and any proxy between this machine and Salesforce.",
                statusCode: null, contentType: null, bodyExcerpt: null, isTransient: true, ex);
        }
        catch (Exception ex) when (ex is ExecutionRejectedException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Polly's timeouts and open circuit, or HttpClient's own timeout.
            throw new SalesforceTokenEndpointException(SalesforceErrorCode.TokenEndpointUnreachable,
                $"The token endpoint {endpoint} did not answer in time.",
                statusCode: null, contentType: null, bodyExcerpt: null, isTransient: true, ex);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return Interpret(endpoint, response, body, context);
        }
    }

    private SalesforceToken Interpret(Uri endpoint, HttpResponseMessage response, string body, TokenContext context)
    {
        var status = response.StatusCode;
        var contentType = response.Content.Headers.ContentType?.MediaType;
        if ((int)status is >= 300 and < 400)
        {
            var location = response.Headers.Location;
            throw new SalesforceTokenEndpointException(SalesforceErrorCode.TokenEndpointRedirected,
                $"The token endpoint {endpoint} answered {(int)status} with a redirect to {location?.GetLeftPart(UriPartial.Path) ?? "(no Location)"}. " +
                "Redirects are not followed because they would send the assertion to another host. Set LoginUrl to the host Salesforce redirects to, usually the org's My Domain URL.",
                status, contentType, bodyExcerpt: null, isTransient: false);
        }

        var parsed = TryParse(body);
        if (response.IsSuccessStatusCode)
        {
            return ToToken(endpoint, response, parsed, body, context);
        }

        if (parsed?.Error is { Length: > 0 } error)
        {
            var entry = ErrorCatalog.Find(error, parsed.ErrorDescription);
            throw new SalesforceAuthenticationException(
                entry?.Code ?? SalesforceErrorCode.Unknown,
                status,
                error,
                parsed.ErrorDescription,
                entry?.Hint ?? ErrorCatalog.UnknownErrorHint(error),
                entry?.IsTransient ?? IsTransientStatus(status));
        }

        throw Unexpected(endpoint, response, body,
            $"answered {(int)status} {response.ReasonPhrase} without a Salesforce OAuth error",
            isTransient: IsTransientStatus(status));
    }

    private SalesforceToken ToToken(Uri endpoint, HttpResponseMessage response, TokenResponse? parsed, string body, TokenContext context)
    {
        if (parsed is null)
        {
            // A success status with a body that is not JSON: a proxy page, or a response cut short.
            throw Unexpected(endpoint, response, body, "answered with a success status but a body that is not a JSON token response", isTransient: true);
        }

        if (parsed.AccessToken is not { Length: > 0 } accessToken)
        {
            throw Unexpected(endpoint, response, body, "answered with a success status but no access_token", isTransient: true);
        }

        if (!Uri.TryCreate(parsed.InstanceUrl, UriKind.Absolute, out var instanceUrl) || instanceUrl.Scheme is not ("https" or "http"))
        {
            throw Unexpected(endpoint, response, body, "answered with a token but no usable instance_url", isTransient: false);
        }

        Uri.TryCreate(parsed.Id, UriKind.Absolute, out var identityUrl);
        var (orgId, userId) = ParseIdentity(identityUrl);
        Uri.TryCreate(parsed.SiteUrl ?? parsed.CommunityUrl, UriKind.Absolute, out var siteUrl);

        var now = timeProvider.GetUtcNow();
        return new SalesforceToken(accessToken, instanceUrl, now)
        {
            IdentityUrl = identityUrl,
            OrganizationId = orgId,
            UserId = userId,
            Scope = parsed.Scope,
            TokenType = parsed.TokenType is { Length: > 0 } tokenType ? tokenType : "Bearer",
            IssuedAt = long.TryParse(parsed.IssuedAt, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
                ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
                : null,
            SiteUrl = siteUrl,
            Username = context.Username,
            ExpiresAt = JwtExpiry(accessToken),
            IsRenewal = context.IsRenewal,
            Session = context.SessionTimeout is { } timeout ? new SessionTracker(now, timeout) : null,
        };
    }

    /// <summary>Reads the <c>exp</c> of a JWT-format access token ("Issue JSON Web Token (JWT)-based access tokens").</summary>
    private static DateTimeOffset? JwtExpiry(string accessToken) => JwtAccessTokenExpiry.Read(accessToken);

    /// <summary>Reads <c>/id/{orgId}/{userId}</c> from the identity URL, as sfdx-core does.</summary>
    private static (string? OrgId, string? UserId) ParseIdentity(Uri? identityUrl)
    {
        if (identityUrl is null)
        {
            return (null, null);
        }

        var segments = identityUrl.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var at = Array.IndexOf(segments, "id");
        return at >= 0 && at + 2 < segments.Length ? (segments[at + 1], segments[at + 2]) : (null, null);
    }

    private static TokenResponse? TryParse(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(body, TokenJsonContext.Default.TokenResponse);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool IsTransientStatus(HttpStatusCode status) =>
        (int)status >= 500 || status is (HttpStatusCode)429 or HttpStatusCode.RequestTimeout;

    private static SalesforceTokenEndpointException Unexpected(Uri endpoint, HttpResponseMessage response, string body, string what, bool isTransient)
    {
        var contentType = response.Content.Headers.ContentType?.MediaType;
        var excerpt = SafeExcerpt.From(body);
        var message = $"The token endpoint {endpoint} {what} (status {(int)response.StatusCode}, content type {contentType ?? "none"}, " +
            (excerpt is null ? "empty body)." : $"body starts: {excerpt}).") +
            (isTransient ? " This is usually temporary (maintenance or a proxy); try again later." : " Check that LoginUrl points at Salesforce.");
        return new SalesforceTokenEndpointException(SalesforceErrorCode.UnexpectedTokenResponse, message, response.StatusCode, contentType, excerpt, isTransient);
    }
}
