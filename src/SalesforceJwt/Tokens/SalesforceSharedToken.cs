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

    /// <inheritdoc />
    public override string ToString() => $"SalesforceSharedToken {{ {Token}, LastRecordedActivity = {LastRecordedActivity:O} }}";
}
