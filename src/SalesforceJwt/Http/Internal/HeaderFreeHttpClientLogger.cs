using Microsoft.Extensions.Http.Logging;
using Microsoft.Extensions.Logging;
using SalesforceJwt.Diagnostics;

namespace SalesforceJwt.Http.Internal;

/// <summary>
/// Request logging without headers, for the token client (Salesforce API clients log from their handler). HttpClientFactory's default logger redacts header values in
/// its message but passes them raw in the structured state, where structured sinks record the bearer token.
/// </summary>
internal sealed class HeaderFreeHttpClientLogger(ILogger logger) : IHttpClientLogger
{
    public object? LogRequestStart(HttpRequestMessage request) => null;

    public void LogRequestStop(object? context, HttpRequestMessage request, HttpResponseMessage response, TimeSpan elapsed) =>
        Log.HttpRequestCompleted(logger, request.Method.Method, Describe(request.RequestUri), (int)response.StatusCode, (long)elapsed.TotalMilliseconds);

    public void LogRequestFailed(object? context, HttpRequestMessage request, HttpResponseMessage? response, Exception exception, TimeSpan elapsed) =>
        Log.HttpRequestFailed(logger, request.Method.Method, Describe(request.RequestUri), (long)elapsed.TotalMilliseconds, exception.GetType().Name);

    // Scheme, host, port and path only: a query can carry a SOQL filter with personal data, and user-info a password.
    internal static string Describe(Uri? uri) =>
        uri is null ? string.Empty
        : uri.IsAbsoluteUri ? uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)
        : uri.OriginalString.Split('?')[0];
}
