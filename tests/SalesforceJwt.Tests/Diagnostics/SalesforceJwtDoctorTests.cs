using SalesforceJwt.Diagnostics;
using SalesforceJwt.Tests.TestSupport;

namespace SalesforceJwt.Tests.Diagnostics;

/// <summary>The doctor run against an app's own registration: it shares the app's token and follows its rules.</summary>
public sealed class SalesforceJwtDoctorTests : IDisposable
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly FakeOrgHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task RunAsync_AppAlreadyHoldsAToken_UsesIt_NoNewLogin_AndTheApiCallsCarryIt()
    {
        using (await _h.Client.GetAsync("services/data/v62.0/limits", _ct))
        {
        }

        var report = await SalesforceJwtDoctor.RunAsync(_h.Services, SalesforceJwtDefaults.ClientName, _ct);

        var checks = report.Checks.ToDictionary(c => c.Name);
        Assert.Equal(SalesforceDoctorOutcome.Passed, checks["login"].Outcome);
        Assert.Equal(SalesforceDoctorOutcome.Passed, checks["API call"].Outcome);
        Assert.Equal(SalesforceDoctorOutcome.Passed, checks["identity"].Outcome);
        Assert.Equal(SalesforceDoctorOutcome.Passed, checks["certificate"].Outcome);
        Assert.Equal(1, _h.Org.Counters.TokensIssued);
        Assert.Equal(0, _h.Org.Counters.MalformedAuthorizationHeaders);
        var token = Assert.Single(_h.Org.LiveSessions());
        Assert.DoesNotContain(token, report.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeAsync_IsOptionsCertificateExpiryAndLogin_Only()
    {
        var report = await SalesforceJwtDoctor.ProbeAsync(_h.Services, SalesforceJwtDefaults.ClientName, _ct);

        Assert.Equal(["options", "certificate expiry", "login"], report.Checks.Select(c => c.Name));
        Assert.True(report.Passed, report.ToString());
        Assert.Equal(0, _h.Org.Counters.ApiCalls);
    }

    [Fact]
    public async Task RunAsync_UnknownConnection_FailsTheOptions_AndSkipsTheRest()
    {
        var report = await SalesforceJwtDoctor.RunAsync(_h.Services, "NotRegistered", _ct);

        Assert.Equal(SalesforceDoctorOutcome.Failed, report.Outcome);
        Assert.Equal(SalesforceDoctorOutcome.Failed, report.Checks[0].Outcome);
        Assert.Contains("ConsumerKey is required", report.Checks[0].Detail, StringComparison.Ordinal);
        Assert.Equal(SalesforceDoctorOutcome.Skipped, report.Checks.Single(c => c.Name == "login").Outcome);
        Assert.Equal(0, _h.Org.Counters.TokenRequests);
    }
}
