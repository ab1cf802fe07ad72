using System.Net;

namespace SalesforceJwt;

/// <summary>
/// The token endpoint could not be reached, or answered with something that is not a Salesforce token response; or the
/// <see cref="SalesforceJwtOptions.Signer"/> could not sign the assertion (<see cref="SalesforceErrorCode.SignerFailed"/>).
/// </summary>
public sealed class SalesforceTokenEndpointException : SalesforceJwtException
{
    /// <summary>
    /// Initializes a new instance of the <see cref="SalesforceTokenEndpointException"/> class; public so that
    /// applications can test their own handling of it.
    /// </summary>
    /// <param name="code">The stable error code, such as <see cref="SalesforceErrorCode.TokenEndpointUnreachable"/>.</param>
    /// <param name="message">What happened and what to do, used as given.</param>
    /// <param name="statusCode">The HTTP status, or <see langword="null"/> when no response arrived.</param>
    /// <param name="contentType">The response's content type, if any.</param>
    /// <param name="bodyExcerpt">
    /// The start of the response body, stored as given: the library redacts its own excerpts before they get here, so pass none that holds a secret.
    /// </param>
    /// <param name="isTransient">Whether trying again later may succeed without a change of configuration; <see langword="false"/> unless given.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public SalesforceTokenEndpointException(
        SalesforceErrorCode code,
        string message,
        HttpStatusCode? statusCode = null,
        string? contentType = null,
        string? bodyExcerpt = null,
        bool isTransient = false,
        Exception? innerException = null)
        : base(code, message, innerException)
    {
        StatusCode = statusCode;
        ContentType = contentType;
        BodyExcerpt = bodyExcerpt;
        IsTransient = isTransient;
    }

    /// <summary>Gets the HTTP status, or <see langword="null"/> when no response arrived.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Gets the response's content type, if any.</summary>
    public string? ContentType { get; }

    /// <summary>Gets the start of the response body with anything that looks like a token removed, if there was a body.</summary>
    public string? BodyExcerpt { get; }

    /// <inheritdoc />
    public override bool IsTransient { get; }
}
