using SalesforceJwt.Internal;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Polly;
using SalesforceJwt.Diagnostics;
using SalesforceJwt.Http.Internal;

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

    /// <summary>Real token responses are under 4 KiB; anything past this is not one and is not read further.</summary>
    public const int MaxResponseBytes = 64 * 1024;

    /// <summary>What the provider knows about the token it asks for, beyond what Salesforce returns.</summary>
    /// <param name="Username">The user the assertion names.</param>
    /// <param name="SessionTimeout">The configured session timeout, if any.</param>
    /// <param name="IsRenewal">Whether the token replaces one Salesforce rejected.</param>
    /// <param name="Timeout">The time budget of the whole exchange; <see cref="SalesforceJwtDefaults.TokenRequestTimeout"/> when null.</param>
    internal readonly record struct TokenContext(string Username, TimeSpan? SessionTimeout = null, bool IsRenewal = false, TimeSpan? Timeout = null);

    /// <summary>Creates the token endpoint's client (no redirects, no cookies), also used for the one <c>AuthSession</c> read per login.</summary>
    public HttpClient CreateClient() => httpClientFactory.CreateClient(SalesforceJwtDefaults.TokenClientName);

    public async Task<SalesforceToken> RequestTokenAsync(Uri loginUrl, string assertion, TokenContext context, CancellationToken cancellationToken)
    {
        var endpoint = TokenEndpoint(loginUrl);
        using var content = new FormUrlEncodedContent(
        [
            new("grant_type", GrantType),
            new("assertion", assertion),
        ]);

        var client = httpClientFactory.CreateClient(SalesforceJwtDefaults.TokenClientName);
        var timeout = context.Timeout ?? SalesforceJwtDefaults.TokenRequestTimeout;

        // One budget for the whole exchange: every retry of the resilience pipeline, the headers and the body. The
        // factory client's own timeout does not cover a body that stalls after the headers.
        using var deadline = TimeProviderTimeout.Create(timeProvider, timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = content };
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            var body = await ReadBoundedAsync(endpoint, response, linked.Token).ConfigureAwait(false);
            return Interpret(endpoint, response, body, context);
        }
        catch (HttpRequestException ex)
        {
            throw new SalesforceTokenEndpointException(SalesforceErrorCode.TokenEndpointUnreachable,
                $"The token endpoint {endpoint} could not be reached: {ex.Message} Check LoginUrl, DNS and any proxy between this machine and Salesforce.",
                statusCode: null, contentType: null, bodyExcerpt: null, isTransient: true, ex);
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new SalesforceTokenEndpointException(SalesforceErrorCode.TokenEndpointTimedOut,
                $"The token exchange with {endpoint} did not finish within {timeout.TotalSeconds:0.###} s (TokenRequestTimeout), retries, " +
                "headers and body included. Check the network path to Salesforce, or raise TokenRequestTimeout.",
                statusCode: null, contentType: null, bodyExcerpt: null, isTransient: true, ex);
        }
        catch (Exception ex) when (ex is ExecutionRejectedException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Polly's timeouts and open circuit, or HttpClient's own timeout.
            throw new SalesforceTokenEndpointException(SalesforceErrorCode.TokenEndpointUnreachable,
                $"The token endpoint {endpoint} did not answer in time.",
                statusCode: null, contentType: null, bodyExcerpt: null, isTransient: true, ex);
        }
    }

    /// <summary>Reads the body, at most <see cref="MaxResponseBytes"/> of it, whatever Content-Length says or omits.</summary>
    private static async Task<string> ReadBoundedAsync(Uri endpoint, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var contentType = response.Content.Headers.ContentType?.MediaType;
        if (response.Content.Headers.ContentLength is > MaxResponseBytes)
        {
            throw TooLarge(endpoint, response, contentType);
        }

        var prefix = await BoundedBody.ReadPrefixAsync(response.Content, MaxResponseBytes, cancellationToken).ConfigureAwait(false);
        if (!prefix.IsComplete)
        {
            prefix.Rest!.Dispose();
            throw TooLarge(endpoint, response, contentType);
        }

        return Encoding.UTF8.GetString(prefix.Buffer, 0, prefix.Length);
    }

    private static SalesforceTokenEndpointException TooLarge(Uri endpoint, HttpResponseMessage response, string? contentType) =>
        new(SalesforceErrorCode.TokenResponseTooLarge,
            $"The token endpoint {endpoint} answered {(int)response.StatusCode} with a body over {MaxResponseBytes / 1024} KiB, which no Salesforce " +
            "token response is; it was not read. Check that LoginUrl points at Salesforce and not at a proxy or another service.",
            response.StatusCode, contentType, bodyExcerpt: null, isTransient: false);

    private SalesforceToken Interpret(Uri endpoint, HttpResponseMessage response, string body, TokenContext context)
    {
        var status = response.StatusCode;
        var contentType = response.Content.Headers.ContentType?.MediaType;
        if ((int)status is >= 300 and < 400)
        {
            var location = response.Headers.Location;
            throw new SalesforceTokenEndpointException(SalesforceErrorCode.TokenEndpointRedirected,
                $"The token endpoint {endpoint} answered {(int)status} with a redirect to {(location is null ? "(no Location)" : new Uri(endpoint, location).GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped))}. " +
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
        EnsureSecure(endpoint, response, "instance_url", instanceUrl);
        if (identityUrl is not null)
        {
            EnsureSecure(endpoint, response, "id", identityUrl);
        }

        var (orgId, userId) = ParseIdentity(identityUrl);
        Uri.TryCreate(parsed.SiteUrl ?? parsed.CommunityUrl, UriKind.Absolute, out var siteUrl);

        var now = timeProvider.GetUtcNow();
        return new SalesforceToken(accessToken, Origin(instanceUrl), now)
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
        };
    }

    /// <summary>
    /// The token goes only over https. Plain http is allowed for loopback hosts alone, where the fakes used in tests
    /// live, as for <see cref="SalesforceJwtOptions.LoginUrl"/>.
    /// </summary>
    private static void EnsureSecure(Uri endpoint, HttpResponseMessage response, string field, Uri url)
    {
        if (url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback))
        {
            return;
        }

        throw new SalesforceTokenEndpointException(SalesforceErrorCode.InsecureTokenResponse,
            $"The token endpoint {endpoint} answered with a token whose {field} is not https ({url.Scheme}://{url.Host}). SalesforceJwt never " +
            "sends a token over plain HTTP, so the token was discarded. Salesforce always answers https; check that LoginUrl points at Salesforce.",
            response.StatusCode, response.Content.Headers.ContentType?.MediaType, bodyExcerpt: null, isTransient: false);
    }

    /// <summary>The scheme, host and port alone: a user name, path or query in <c>instance_url</c> is never used.</summary>
    private static Uri Origin(Uri url) => new($"{url.Scheme}://{url.Authority}/");

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
