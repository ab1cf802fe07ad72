using System.Net;
using SalesforceJwt.Rest;

namespace SalesforceJwt;

/// <summary>
/// A REST API call made by a helper in <see cref="SalesforceJwt.Rest"/> failed: Salesforce answered with an error array
/// (every entry is in <see cref="Errors"/>), or with something the helper could not read. A session that ended is not
/// reported here: the handler renews it and replays the call first.
/// </summary>
/// <remarks>
/// <see cref="SalesforceJwtException.Code"/> is <see cref="SalesforceErrorCode.RequestLimitExceeded"/> (and
/// <see cref="IsRequestLimitExceeded"/> is <see langword="true"/>) when the org's daily API allocation is spent: that is
/// never an authentication problem, no new login is attempted, and calls succeed again only when the rolling 24-hour
/// window frees requests.
/// </remarks>
public sealed class SalesforceApiException : SalesforceJwtException
{
    /// <summary>
    /// Initializes a new instance of the <see cref="SalesforceApiException"/> class, as the REST helpers do when a call
    /// fails; public so that applications can test their own handling of it. <see cref="IsTransient"/> is worked out
    /// from <paramref name="code"/>, <paramref name="statusCode"/> and the first error, as for the library's own.
    /// </summary>
    /// <param name="code">
    /// The stable error code: <see cref="SalesforceErrorCode.ApiError"/>, or
    /// <see cref="SalesforceErrorCode.RequestLimitExceeded"/> when the daily API allocation is spent.
    /// </param>
    /// <param name="message">What happened, used as given.</param>
    /// <param name="statusCode">The HTTP status of Salesforce's answer.</param>
    /// <param name="errors">Every error Salesforce listed, in its order; <see langword="null"/> for none.</param>
    /// <param name="bodyExcerpt">
    /// The start of the answer when it was not an error array, stored as given: the library redacts its own excerpts
    /// before they get here, so pass none that holds a secret.
    /// </param>
    public SalesforceApiException(
        SalesforceErrorCode code, string message, HttpStatusCode statusCode, IReadOnlyList<SalesforceApiError>? errors = null, string? bodyExcerpt = null)
        : base(code, message)
    {
        StatusCode = statusCode;
        Errors = errors ?? [];
        BodyExcerpt = bodyExcerpt;
    }

    /// <summary>Gets the HTTP status of Salesforce's answer.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>Gets every error Salesforce listed, in its order; empty when the answer was not an error array.</summary>
    public IReadOnlyList<SalesforceApiError> Errors { get; }

    /// <summary>Gets the <c>errorCode</c> of the first error, such as <c>MALFORMED_QUERY</c> or <c>NOT_FOUND</c>; <see langword="null"/> when there was none.</summary>
    public string? ErrorCode => Errors.Count > 0 ? Errors[0].ErrorCode : null;

    /// <summary>Gets a value indicating whether the org's daily API allocation is spent (<c>REQUEST_LIMIT_EXCEEDED</c>).</summary>
    public bool IsRequestLimitExceeded => Code == SalesforceErrorCode.RequestLimitExceeded;

    /// <summary>Gets the start of Salesforce's answer when it was not an error array, with anything that looks like a token removed.</summary>
    public string? BodyExcerpt { get; }

    /// <inheritdoc />
    public override bool IsTransient =>
        IsRequestLimitExceeded || (int)StatusCode >= 500 || ErrorCode is "UNABLE_TO_LOCK_ROW" or "SERVER_UNAVAILABLE";
}
