using System.Net;
using SalesforceJwt.Internal;

namespace SalesforceJwt;

/// <summary>Salesforce's token endpoint refused the assertion with an OAuth error.</summary>
public sealed class SalesforceAuthenticationException : SalesforceJwtException
{
    /// <summary>
    /// Initializes a new instance of the <see cref="SalesforceAuthenticationException"/> class, as the token client does
    /// when Salesforce refuses an assertion; public so that applications can test their own handling of it.
    /// </summary>
    /// <param name="code">The stable error code, such as <see cref="SalesforceErrorCode.UserNotApproved"/>.</param>
    /// <param name="statusCode">The HTTP status of the token response, usually 400.</param>
    /// <param name="error">The OAuth <c>error</c> value, such as <c>invalid_grant</c>.</param>
    /// <param name="errorDescription">The OAuth <c>error_description</c> value, if any.</param>
    /// <param name="hint">The likely cause and what to change.</param>
    /// <param name="isTransient">Whether trying again later may succeed without a change of configuration.</param>
    /// <remarks>
    /// <see cref="Exception.Message"/> is composed from <paramref name="statusCode"/>, <paramref name="error"/>,
    /// <paramref name="errorDescription"/> and <paramref name="hint"/> exactly as given; nothing is redacted, so pass no secrets.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="error"/> or <paramref name="hint"/> is <see langword="null"/>.</exception>
    public SalesforceAuthenticationException(
        SalesforceErrorCode code, HttpStatusCode statusCode, string error, string? errorDescription, string hint, bool isTransient)
        : base(code, FormatMessage(statusCode, error, errorDescription, hint))
    {
        Guard.NotNull(error);
        Guard.NotNull(hint);
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
