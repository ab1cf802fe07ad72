namespace SalesforceJwt.Testing;

/// <summary>A user of a <see cref="FakeSalesforceOrg"/>.</summary>
public sealed class FakeUser
{
    private readonly HashSet<string> _approvedApps = new(StringComparer.Ordinal);

    internal FakeUser(string username, string userId)
    {
        Username = username;
        UserId = userId;
    }

    /// <summary>Gets the username, the assertion's <c>sub</c>.</summary>
    public string Username { get; }

    /// <summary>Gets the 18-character user id.</summary>
    public string UserId { get; }

    /// <summary>Gets or sets a value indicating whether the user is active. An inactive user gets <c>inactive_user</c>.</summary>
    public bool IsActive { get; set; } = true;

    /// <summary>Gets or sets whether the user may query <c>AuthSession</c>.</summary>
    /// <value>Defaults to <see cref="FakeAuthSessionAccess.Refused"/>: integration users rarely have Manage Users.</value>
    public FakeAuthSessionAccess AuthSessionAccess { get; set; }

    /// <summary>Pre-authorizes the user for an app (a profile or permission set assigned to it).</summary>
    /// <param name="app">The app.</param>
    public void Approve(FakeConnectedApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        lock (_approvedApps)
        {
            _approvedApps.Add(app.ConsumerKey);
        }
    }

    /// <summary>Removes the user's approval for an app.</summary>
    /// <param name="app">The app.</param>
    public void Unapprove(FakeConnectedApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        lock (_approvedApps)
        {
            _approvedApps.Remove(app.ConsumerKey);
        }
    }

    internal bool IsApprovedFor(string consumerKey)
    {
        lock (_approvedApps)
        {
            return _approvedApps.Contains(consumerKey);
        }
    }
}
