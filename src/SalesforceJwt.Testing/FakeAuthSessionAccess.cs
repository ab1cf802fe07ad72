namespace SalesforceJwt.Testing;

/// <summary>Whether a <see cref="FakeUser"/> may query <c>AuthSession</c>, which in Salesforce needs the Manage Users permission.</summary>
public enum FakeAuthSessionAccess
{
    /// <summary>The query is refused with 403 <c>INSUFFICIENT_ACCESS</c>, as for a user without Manage Users.</summary>
    Refused = 0,

    /// <summary>The query is refused with 400 <c>INVALID_TYPE</c>, as when the object is not visible to the user at all.</summary>
    Hidden = 1,

    /// <summary>The query answers with the user's sessions: <c>NumSecondsValid</c> is the org's current timeout.</summary>
    Granted = 2,
}
