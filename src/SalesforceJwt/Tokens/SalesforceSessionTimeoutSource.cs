namespace SalesforceJwt.Tokens;

/// <summary>How SalesforceJwt knows a connection's session timeout, and so when to renew a token before its session ends.</summary>
public enum SalesforceSessionTimeoutSource
{
    /// <summary>Not known yet: tokens are renewed when Salesforce says their session ended.</summary>
    Unknown = 0,

    /// <summary>From <see cref="SalesforceJwtOptions.SessionTimeout"/>, which wins over what is read or learned.</summary>
    Configured = 1,

    /// <summary>Read from Salesforce (<c>AuthSession.NumSecondsValid</c>) at the last login; see <see cref="SalesforceJwtOptions.ReadSessionTimeout"/>.</summary>
    Read = 2,

    /// <summary>Learned from which requests Salesforce accepted and when it said sessions had ended.</summary>
    Learned = 3,
}
