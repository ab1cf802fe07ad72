using SalesforceJwt.Diagnostics;
using SalesforceJwt.Testing;
using SalesforceJwt.Tests.TestSupport;

namespace SalesforceJwt.Tests.Diagnostics;

/// <summary>The doctor's last line: how the connection knows when a session ends.</summary>
public sealed class SalesforceJwtDoctorSessionTimeoutTests
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_ReadSessionTimeoutGranted_ReportsTheTimeoutReadAtItsLogin()
    {
        using var h = new FakeOrgHarness(o => o.ReadSessionTimeout = true, new FakeSalesforceOrgOptions { SessionTimeout = TimeSpan.FromMinutes(30) });
        h.Integration.User.AuthSessionAccess = FakeAuthSessionAccess.Granted;

        var report = await SalesforceJwtDoctor.RunAsync(h.Services, SalesforceJwtDefaults.ClientName, _ct);

        var check = report.Checks.Single(c => c.Name == "session timeout");
        Assert.Equal(SalesforceDoctorOutcome.Passed, check.Outcome);
        Assert.StartsWith("30 min (Read", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NothingConfiguredOrRead_SaysTheFirstEndTeachesIt()
    {
        using var h = new FakeOrgHarness();

        var report = await SalesforceJwtDoctor.RunAsync(h.Services, SalesforceJwtDefaults.ClientName, _ct);

        var check = report.Checks.Single(c => c.Name == "session timeout");
        Assert.Equal(SalesforceDoctorOutcome.Passed, check.Outcome);
        Assert.Contains("not known yet", check.Detail, StringComparison.Ordinal);
    }
}
