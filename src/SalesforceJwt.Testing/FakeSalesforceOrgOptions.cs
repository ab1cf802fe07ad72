namespace SalesforceJwt.Testing;

/// <summary>How a <see cref="FakeSalesforceOrg"/> behaves from the start; most settings can be changed later on the org.</summary>
public sealed class FakeSalesforceOrgOptions
{
    /// <summary>Gets or sets the clock of the org: sessions, assertion expiry and the login-rate hour follow it.</summary>
    /// <value>Defaults to <see cref="TimeProvider.System"/>. Give it the same <c>FakeTimeProvider</c> as the code under test.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets the session idle timeout.</summary>
    /// <value>Defaults to 2 hours, Salesforce's org default.</value>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Gets or sets a value indicating whether the org is a sandbox: it then accepts <c>https://test.salesforce.com</c> as audience instead of login.</summary>
    /// <value>Defaults to <see langword="false"/>.</value>
    public bool IsSandbox { get; set; }

    /// <summary>Gets or sets the most logins one user may make in a rolling hour before <c>login rate exceeded</c>.</summary>
    /// <value>Defaults to <see langword="null"/>: not enforced. Salesforce's limit is 3,600; tests set a small number.</value>
    public int? LoginRateLimitPerHour { get; set; }

    /// <summary>Gets or sets how far ahead an assertion's <c>exp</c> may be.</summary>
    /// <value>Defaults to 5 minutes: Salesforce documents 3 minutes, and older docs said 5.</value>
    public TimeSpan MaxAssertionLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets how many records a query page holds at most before <c>nextRecordsUrl</c> points to the next.</summary>
    /// <value>Defaults to 2,000, Salesforce's default batch size. Tests may set a small number; at least 1.</value>
    public int QueryBatchSize { get; set; } = 2000;

    /// <summary>Gets or sets the org's daily API allocation, reported in <c>Sforce-Limit-Info</c>; past it, REST calls answer 403 <c>REQUEST_LIMIT_EXCEEDED</c>.</summary>
    /// <value>Defaults to 15,000, a Developer Edition org's allocation.</value>
    public int DailyApiRequestLimit { get; set; } = 15000;
}
