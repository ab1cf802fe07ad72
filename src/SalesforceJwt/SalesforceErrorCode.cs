namespace SalesforceJwt;

/// <summary>Stable codes for every failure SalesforceJwt reports. Values never change meaning.</summary>
public enum SalesforceErrorCode
{
    /// <summary>Salesforce returned an error this library does not know; see the raw <c>error</c> and <c>error_description</c>.</summary>
    Unknown = 0,

    /// <summary><c>invalid_grant</c>: <c>user hasn't approved this consumer</c>.</summary>
    UserNotApproved = 100,

    /// <summary><c>invalid_app_access</c>: <c>user is not admin approved to access this app</c>.</summary>
    UserNotAdminApproved = 101,

    /// <summary><c>invalid_grant</c>: <c>audience is invalid</c> or <c>Audience validation failed</c>.</summary>
    InvalidAudience = 102,

    /// <summary><c>app_not_found</c>: <c>External client app is not installed in this org</c>.</summary>
    AppNotFound = 103,

    /// <summary><c>invalid_grant</c>: <c>invalid assertion</c>.</summary>
    InvalidAssertion = 104,

    /// <summary><c>invalid_grant</c>: <c>expired authorization code</c> (the assertion's <c>exp</c> is in the past).</summary>
    AssertionExpired = 105,

    /// <summary><c>invalid_client_id</c>: <c>client identifier invalid</c>.</summary>
    InvalidClientId = 106,

    /// <summary><c>invalid_grant</c>: <c>login rate exceeded</c>, or <c>rate_limit_exceeded</c>.</summary>
    LoginRateExceeded = 107,

    /// <summary><c>invalid_grant</c>: <c>IP restricted or invalid login hours</c>.</summary>
    IpRestricted = 108,

    /// <summary><c>inactive_user</c>: <c>User is inactive</c>.</summary>
    InactiveUser = 109,

    /// <summary><c>inactive_org</c>: <c>Org is locked, closed, or suspended</c>.</summary>
    InactiveOrg = 110,

    /// <summary><c>unsupported_grant_type</c>: <c>grant type not supported</c>.</summary>
    UnsupportedGrantType = 111,

    /// <summary><c>invalid_request</c>: <c>grant type is missing</c>.</summary>
    GrantTypeMissing = 112,

    /// <summary><c>invalid_grant</c>: <c>no valid scopes defined</c>.</summary>
    NoValidScopes = 113,

    /// <summary>The token endpoint answered with something that is not a Salesforce token or error response.</summary>
    UnexpectedTokenResponse = 200,

    /// <summary>The token endpoint could not be reached, or did not answer in time.</summary>
    TokenEndpointUnreachable = 201,

    /// <summary>The token endpoint answered with a redirect, which is never followed because it would send the assertion elsewhere.</summary>
    TokenEndpointRedirected = 202,

    /// <summary>The token exchange did not finish within <see cref="SalesforceJwtOptions.TokenRequestTimeout"/>, headers and body included.</summary>
    TokenEndpointTimedOut = 203,

    /// <summary>The token endpoint's answer was larger than any Salesforce token response (64 KiB); it was not read further.</summary>
    TokenResponseTooLarge = 204,

    /// <summary>The token response named an <c>instance_url</c> or <c>id</c> that is not <c>https</c>; the token is never sent over plain HTTP.</summary>
    InsecureTokenResponse = 205,

    /// <summary>The private key or certificate could not be used.</summary>
    InvalidSigningKey = 300,

    /// <summary>Salesforce rejected a token it had just issued: re-authentication cannot help (High Assurance, API Access Control, wrong host, IP lock).</summary>
    SessionRejectedAfterRenewal = 400,

    /// <summary>The session ended and the request cannot be replayed (for example a SOAP envelope without a SessionHeader to update).</summary>
    SessionExpiredNotReplayable = 401,

    /// <summary>The app issues JWT-format access tokens, which Salesforce's SOAP and Metadata APIs do not accept.</summary>
    JwtTokenRefusedBySoap = 402,

    /// <summary>A request's final URI was not the token's own instance (or identity URL), so no credential was attached and nothing was sent.</summary>
    CredentialTargetRejected = 403,

    /// <summary>
    /// The user made <see cref="SalesforceJwtOptions.MaxLoginsPerHour"/> logins in the last hour; re-authentication pauses
    /// until the oldest leaves the window.
    /// </summary>
    LoginBudgetExhausted = 404,

    /// <summary>The <see cref="SalesforceJwtOptions.Signer"/> threw, did not sign within <see cref="SalesforceJwtOptions.TokenRequestTimeout"/>, or returned something that is not an RS256 signature.</summary>
    SignerFailed = 301,

    /// <summary>A Salesforce REST API call answered with an error (an array of <c>errorCode</c>, <c>message</c> and <c>fields</c>); see <c>SalesforceApiException.Errors</c>.</summary>
    ApiError = 500,

    /// <summary><c>REQUEST_LIMIT_EXCEEDED</c>: the org's daily API allocation is spent. Not an authentication problem; calls succeed again when the 24-hour window moves on.</summary>
    RequestLimitExceeded = 501,

    /// <summary>A REST API answer was not what the helper expected (not JSON, too large, or a <c>nextRecordsUrl</c> outside <c>/services/data/</c>).</summary>
    UnexpectedApiResponse = 502,
}
