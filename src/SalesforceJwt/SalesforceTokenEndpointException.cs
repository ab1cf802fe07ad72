using System.Net;

namespace SalesforceJwt;

/// <summary>
/// The token endpoint could not be reached, or answered with something that is not a Salesforce token response; or the
/// <see cref="SalesforceJwtOptions.Signer"/> could not sign the assertion (<see cref="SalesforceErrorCode.SignerFailed"/>).
/// </summary>
public sealed class SalesforceTokenEndpointException : SalesforceJwtException
{
    internal SalesforceTokenEndpointException(
        SalesforceErrorCode code,
        string message,
        HttpStatusCode? statusCode,
        string? contentType,
        string? bodyExcerpt,
        bool isTransient,
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
