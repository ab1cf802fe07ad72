namespace SalesforceJwt.Http;

/// <summary>
/// Decides whether a Salesforce response means the session ended, so that the handler gets a new token and replays
/// the request once. Register your own implementation to change the rules; the default follows each API's shape and
/// ignores the look-alikes that a new login cannot fix.
/// </summary>
public interface ISalesforceSessionClassifier
{
    /// <summary>Returns why the response means the session ended, or <see langword="null"/> when it does not.</summary>
    /// <param name="response">The response; its body may be read, and must stay readable for the caller (buffer it).</param>
    /// <param name="cancellationToken">Cancels reading the body.</param>
    /// <returns>A short reason such as <c>INVALID_SESSION_ID</c>, or <see langword="null"/>.</returns>
    ValueTask<string?> GetSessionEndReasonAsync(HttpResponseMessage response, CancellationToken cancellationToken = default);
}
