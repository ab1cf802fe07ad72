namespace SalesforceJwt.Testing.Internal;

/// <summary>A session of the fake org, with Salesforce's sliding idle timeout.</summary>
internal sealed class FakeSession(string accessToken, FakeUser user, FakeConnectedApp app, DateTimeOffset issuedAt)
{
    public string AccessToken { get; } = accessToken;

    public FakeUser User { get; } = user;

    public FakeConnectedApp App { get; } = app;

    public DateTimeOffset IssuedAt { get; } = issuedAt;

    /// <summary>The last activity Salesforce recorded; it only moves once more than half the timeout has passed (docs/salesforce-behaviour.md#sessions-slide-on-activity).</summary>
    public DateTimeOffset LastRecordedActivity { get; private set; } = issuedAt;

    public bool Ended { get; set; }

    public bool IsAlive(DateTimeOffset now, TimeSpan timeout) => !Ended && now - LastRecordedActivity < timeout;

    public void Touch(DateTimeOffset now, TimeSpan timeout)
    {
        if (now - LastRecordedActivity > timeout / 2)
        {
            LastRecordedActivity = now;
        }
    }
}
