using System.Net;

namespace SalesforceJwt;

/// <summary>
/// A request failed on its session and a new login cannot fix it: Salesforce rejected a token it had just issued, or
/// the request could not be replayed with the new session.
/// </summary>
public sealed class SalesforceSessionException : SalesforceJwtException
{
    /// <summary>
    /// Initializes a new instance of the <see cref="SalesforceSessionException"/> class; public so that applications
    /// can test their own handling of it. <see cref="IsTransient"/> is always <see langword="false"/>.
    /// </summary>
    /// <param name="code">The stable error code, such as <see cref="SalesforceErrorCode.SessionRejectedAfterRenewal"/>.</param>
    /// <param name="message">What happened and what to do, used as given.</param>
    /// <param name="statusCode">The HTTP status of Salesforce's last answer, if there was one.</param>
    /// <param name="reason">What in the answer said the session was not valid, such as <c>INVALID_SESSION_ID</c>.</param>
    /// <param name="bodyExcerpt">
    /// The start of the answer, stored as given: the library redacts its own excerpts before they get here, so pass none that holds a secret.
    /// </param>
    public SalesforceSessionException(
        SalesforceErrorCode code, string message, HttpStatusCode? statusCode = null, string? reason = null, string? bodyExcerpt = null)
        : base(code, message)
    {
        StatusCode = statusCode;
        Reason = reason;
        BodyExcerpt = bodyExcerpt;
    }

    /// <summary>Gets the HTTP status of Salesforce's last answer, if there was one.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Gets what in Salesforce's answer said the session was not valid, such as <c>INVALID_SESSION_ID</c>.</summary>
    public string? Reason { get; }

    /// <summary>Gets the start of Salesforce's last answer, with anything that looks like a token removed.</summary>
    public string? BodyExcerpt { get; }

    /// <inheritdoc />
    public override bool IsTransient => false;
}
