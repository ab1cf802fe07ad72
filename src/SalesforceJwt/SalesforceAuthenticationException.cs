using System.Net;

namespace SalesforceJwt;

/// <summary>Salesforce's token endpoint refused the assertion with an OAuth error.</summary>
public sealed class SalesforceAuthenticationException : SalesforceJwtException
{
    internal SalesforceAuthenticationException(
        SalesforceErrorCode code, HttpStatusCode statusCode, string error, string? errorDescription, string hint, bool isTransient)
        : base(code, FormatMessage(statusCode, error, errorDescription, hint))
    {
        StatusCode = statusCode;
        Error = error;
        ErrorDescription = errorDescription;
        Hint = hint;
        IsTransient = isTransient;
    }

    /// <summary>Gets the HTTP status of the token response.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>Gets the OAuth <c>error</c> value exactly as Salesforce sent it.</summary>
    public string Error { get; }

    /// <summary>Gets the OAuth <c>error_description</c> value exactly as Salesforce sent it, if any.</summary>
    public string? ErrorDescription { get; }

    /// <summary>Gets the likely cause and what to change, in plain language.</summary>
    public string Hint { get; }

    /// <inheritdoc />
    public override bool IsTransient { get; }

    private static string FormatMessage(HttpStatusCode statusCode, string error, string? description, string hint) =>
        $"Salesforce refused the JWT bearer token request: {(int)statusCode} {error}" +
        (string.IsNullOrEmpty(description) ? "" : $": {description}") + $". {hint}";
}
