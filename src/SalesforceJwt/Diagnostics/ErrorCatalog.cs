namespace SalesforceJwt.Diagnostics;

/// <summary>
/// The one list of Salesforce token-endpoint errors we know, with their causes and fixes
/// (docs/salesforce-behaviour.md#errors-of-the-token-endpoint). The README's troubleshooting table mirrors it; a test keeps them in step.
/// </summary>
internal static class ErrorCatalog
{
    internal sealed record Entry(SalesforceErrorCode Code, string Error, string? Description, bool IsTransient, string Hint);

    public static IReadOnlyList<Entry> TokenErrors { get; } =
    [
        new(SalesforceErrorCode.UserNotApproved, "invalid_grant", "user hasn't approved this consumer", false,
            "The user has no prior approval for this app. Set the app's policy to 'Admin approved users are pre-authorized' and assign the user's profile or permission set to it, " +
            "check that Username is exact (including a sandbox suffix such as .uat), and that LoginUrl and Audience point at the org the user belongs to (production vs sandbox)."),
        new(SalesforceErrorCode.UserNotAdminApproved, "invalid_app_access", "user is not admin approved to access this app", false,
            "The app is 'Admin approved users are pre-authorized' but neither the user's profile nor a permission set of theirs is assigned to it. Assign one under the app's Manage > Profiles / Permission Sets."),
        new(SalesforceErrorCode.InvalidAudience, "invalid_grant", "audience is invalid", false,
            "The aud claim is not one this org accepts. Use https://login.salesforce.com for production, https://test.salesforce.com for sandboxes, or the My Domain URL for External Client Apps; check for a typo or trailing slash in Audience."),
        new(SalesforceErrorCode.InvalidAudience, "invalid_grant", "Audience validation failed", false,
            "The aud claim is not one this org accepts. Use https://login.salesforce.com for production, https://test.salesforce.com for sandboxes, or the My Domain URL for External Client Apps; check for a typo or trailing slash in Audience."),
        new(SalesforceErrorCode.AppNotFound, "app_not_found", "External client app is not installed in this org", false,
            "External Client Apps reject login.salesforce.com and test.salesforce.com. Set LoginUrl and Audience to the org's My Domain URL, and make sure the app is installed in this org (sandboxes included)."),
        new(SalesforceErrorCode.InvalidAssertion, "invalid_grant", "invalid assertion", false,
            "The signature did not verify. The private key does not match the certificate uploaded to the connected app, or the wrong key file is configured. Upload the certificate that pairs with the configured key."),
        new(SalesforceErrorCode.AssertionExpired, "invalid_grant", "expired authorization code", false,
            "The assertion's exp claim was already in the past when Salesforce checked it. This machine's clock is probably wrong: synchronise it with NTP."),
        new(SalesforceErrorCode.InvalidClientId, "invalid_client_id", "client identifier invalid", false,
            "Salesforce does not know ConsumerKey. Copy it again from the app (no stray spaces, right org). A newly created or edited app can take 2 to 10 minutes to propagate."),
        new(SalesforceErrorCode.LoginRateExceeded, "invalid_grant", "login rate exceeded", true,
            "This user made more than 3,600 logins in the last hour; every token request counts as one. Logins resume when the rolling hour drops below the limit. Look for processes that request tokens per call instead of sharing one."),
        new(SalesforceErrorCode.LoginRateExceeded, "rate_limit_exceeded", "Number of logins exceeded", true,
            "This user made too many logins in the last hour; every token request counts as one. Logins resume when the rolling hour drops below the limit. Look for processes that request tokens per call instead of sharing one."),
        new(SalesforceErrorCode.IpRestricted, "invalid_grant", "IP restricted or invalid login hours", false,
            "The caller's IP is outside the profile's Login IP Ranges, or this is outside its login hours. Add this machine's egress IP ranges, or set the app's IP Relaxation to 'Relax IP restrictions'."),
        new(SalesforceErrorCode.InactiveUser, "inactive_user", "User is inactive", false,
            "The integration user is deactivated or frozen. Reactivate it, or set Username to an active user."),
        new(SalesforceErrorCode.InactiveOrg, "inactive_org", "Org is locked, closed, or suspended", false,
            "The org is locked, closed or suspended. Contact the org's administrator or Salesforce support."),
        new(SalesforceErrorCode.UnsupportedGrantType, "unsupported_grant_type", "grant type not supported", false,
            "Salesforce did not accept the JWT bearer grant. For an External Client App, tick 'Enable JWT Bearer Flow' in its OAuth settings."),
        new(SalesforceErrorCode.GrantTypeMissing, "invalid_request", "grant type is missing", false,
            "Salesforce did not read the form body. A proxy in between may have altered the request; check any handlers added to the token client."),
        new(SalesforceErrorCode.NoValidScopes, "invalid_grant", "no valid scopes defined", false,
            "The app has no OAuth scopes. Add 'Manage user data via APIs (api)' and 'Perform requests at any time (refresh_token, offline_access)'."),
    ];

    /// <summary>Finds the entry for an OAuth error; descriptions match without regard to case.</summary>
    public static Entry? Find(string error, string? description)
    {
        Entry? byErrorOnly = null;
        var matchesForError = 0;
        foreach (var entry in TokenErrors)
        {
            if (!string.Equals(entry.Error, error, StringComparison.Ordinal))
            {
                continue;
            }

            if (description is not null && string.Equals(entry.Description, description.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return entry;
            }

            matchesForError++;
            byErrorOnly = entry;
        }

        // An error value that only one entry uses (app_not_found, inactive_user…) is enough even if the wording changes.
        return matchesForError == 1 ? byErrorOnly : null;
    }

    public static string UnknownErrorHint(string error) =>
        $"Salesforce's error '{error}' is not in SalesforceJwt's catalogue; its description above is all Salesforce says. Treat it as a configuration problem of the connected app or user.";
}
