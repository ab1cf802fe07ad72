using System.Net;

namespace SalesforceJwt;

/// <summary>
/// A request failed on its session and a new login cannot fix it: Salesforce rejected a token it had just issued, or
/// the request could not be replayed with the new session.
/// </summary>
public sealed class SalesforceSessionException : SalesforceJwtException
{
    internal SalesforceSessionException(SalesforceErrorCode code, string message, HttpStatusCode? statusCode, string? reason, string? bodyExcerpt)
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
