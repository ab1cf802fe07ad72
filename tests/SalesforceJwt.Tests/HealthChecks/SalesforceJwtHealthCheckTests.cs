using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SalesforceJwt.Tests.TestSupport;

namespace SalesforceJwt.Tests.HealthChecks;

/// <summary><c>AddHealthChecks().AddSalesforceJwt()</c> run by <see cref="HealthCheckService"/> against the fake org.</summary>
public sealed class SalesforceJwtHealthCheckTests
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private static HostHarness Harness(Action<SalesforceJwtOptions>? configure = null, TimeSpan? certificateValidFor = null, Action<IHealthChecksBuilder>? checks = null) =>
        new(configure, certificateValidFor, services =>
        {
            var builder = services.AddHealthChecks();
            if (checks is null)
            {
                builder.AddSalesforceJwt();
            }
            else
            {
                checks(builder);
            }
        });

    private static Task<HealthReport> CheckAsync(HostHarness h, CancellationToken ct) =>
        h.Host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(ct);

    [Fact]
    public async Task Healthy_ManyProbes_CostOneLogin()
    {
        using var h = Harness();

        var reports = new List<HealthReport>();
        for (var i = 0; i < 5; i++)
        {
            reports.Add(await CheckAsync(h, _ct));
        }

        Assert.All(reports, r => Assert.Equal(HealthStatus.Healthy, r.Status));
        var entry = reports[0].Entries["salesforce:" + SalesforceJwtDefaults.ClientName];
        Assert.Contains(FakeSalesforceOrgId, entry.Description, StringComparison.Ordinal);
        Assert.Equal(1, h.Org.Counters.LoginsByUser[h.Integration.Username]);
    }

    private const string FakeSalesforceOrgId = SalesforceJwt.Testing.FakeSalesforceOrg.OrganizationId;

    [Fact]
    public async Task Healthy_WhenTheAppAlreadyHoldsAToken_CostsNoLogin()
    {
        using var h = Harness();
        using (await h.Host.Services.GetRequiredService<IHttpClientFactory>().CreateClient(SalesforceJwtDefaults.ClientName).GetAsync("services/data/v62.0/limits", _ct))
        {
        }

        var report = await CheckAsync(h, _ct);

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal(1, h.Org.Counters.TokenRequests);
    }

    [Fact]
    public async Task UnapprovedUser_IsUnhealthy_WithTheErrorCodeAndTheFix()
    {
        using var h = Harness();
        h.Integration.User.Unapprove(h.App);

        var report = await CheckAsync(h, _ct);

        var entry = Assert.Single(report.Entries).Value;
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Equal("UserNotApproved", entry.Data["errorCode"]);
        Assert.Contains("Admin approved users are pre-authorized", (string)entry.Data["fix"], StringComparison.Ordinal);
        Assert.Contains("UserNotApproved", entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failure_ReportsTheRegisteredFailureStatus_NameAndTags()
    {
        using var h = Harness(checks: b => b.AddSalesforceJwt(name: "crm", failureStatus: HealthStatus.Degraded, tags: ["ready"], timeout: TimeSpan.FromSeconds(30)));
        h.Integration.User.IsActive = false;

        var report = await h.Host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains("ready"), _ct);

        var entry = report.Entries["crm"];
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Equal("InactiveUser", entry.Data["errorCode"]);
        Assert.Contains("ready", entry.Tags);
    }

    [Fact]
    public async Task LoginRateExceeded_IsUnhealthyOnce_ThenDegradedWhilePaused_WithoutMoreLogins()
    {
        using var h = Harness(o => o.LoginRateLimitPause = TimeSpan.FromMinutes(5));
        h.Org.LoginRateLimitPerHour = 0;

        var first = await CheckAsync(h, _ct);
        var second = await CheckAsync(h, _ct);

        Assert.Equal(HealthStatus.Unhealthy, first.Status);
        Assert.Equal("LoginRateExceeded", Assert.Single(first.Entries).Value.Data["errorCode"]);
        Assert.Equal(HealthStatus.Degraded, second.Status);
        Assert.Contains("paused", Assert.Single(second.Entries).Value.Description, StringComparison.Ordinal);
        Assert.Equal(1, h.Org.Counters.TokenRequests);
    }

    [Fact]
    public async Task CertificateWithinTheWarningWindow_IsDegraded_ThoughLoginWorks()
    {
        using var h = Harness(certificateValidFor: TimeSpan.FromDays(10));

        var report = await CheckAsync(h, _ct);

        var entry = Assert.Single(report.Entries).Value;
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains("expires on", entry.Description, StringComparison.Ordinal);
        Assert.StartsWith("Passed", (string)entry.Data["login"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_NeverContainsTheToken()
    {
        using var h = Harness();

        var entry = Assert.Single((await CheckAsync(h, _ct)).Entries).Value;

        var token = Assert.Single(h.Org.LiveSessions());
        Assert.DoesNotContain(token, entry.Description, StringComparison.Ordinal);
        Assert.All(entry.Data.Values, v => Assert.DoesNotContain(token, v.ToString(), StringComparison.Ordinal));
    }
}
