using SalesforceJwt.Internal;

namespace SalesforceJwt.Tokens;

/// <summary>
/// A token as a <see cref="SalesforceSharedTokenStore"/> holds it for every instance of an app: the token with all it
/// carries, and the last activity recorded for its session, so that every instance predicts the same session end.
/// </summary>
public sealed class SalesforceSharedToken
{
    /// <summary>Initializes a new instance of the <see cref="SalesforceSharedToken"/> class.</summary>
    /// <param name="token">The token.</param>
    /// <param name="lastRecordedActivity">The last activity Salesforce recorded for the token's session, as far as the writer knows.</param>
    public SalesforceSharedToken(SalesforceToken token, DateTimeOffset lastRecordedActivity)
    {
        Guard.NotNull(token);
        Token = token;
        LastRecordedActivity = lastRecordedActivity;
    }

    /// <summary>Gets the token.</summary>
    public SalesforceToken Token { get; }

    /// <summary>Gets the last activity recorded for the token's session; its acquisition time when nothing later is known.</summary>
    public DateTimeOffset LastRecordedActivity { get; }

    /// <summary>
    /// Gets what the instance that wrote the entry knows of the connection's session timeout (learned from how sessions
    /// ended, or read from Salesforce), so that every instance of the fleet renews ahead of session ends as soon as one
    /// of them has learned it. A short opaque text that the token provider writes and reads; a store keeps it beside the
    /// token, protected like the token, and gives it back unchanged.
    /// </summary>
    /// <value><see langword="null"/> when the writer knew nothing yet, or the entry was written without it; then nothing is shared and each instance learns on its own.</value>
    public string? SessionTimeoutEvidence { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"SalesforceSharedToken {{ {Token}, LastRecordedActivity = {LastRecordedActivity:O} }}";
}
