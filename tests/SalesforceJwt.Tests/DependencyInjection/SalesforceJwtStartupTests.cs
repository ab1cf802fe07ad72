using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SalesforceJwt.Tests.TestSupport;

namespace SalesforceJwt.Tests.DependencyInjection;

/// <summary>What happens while the host starts: validation and its log event, and the optional warm-up.</summary>
public sealed class SalesforceJwtStartupTests
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task HostStart_LogsTheValidatedConnection_WithoutALogin()
    {
        using var h = new HostHarness();

        await h.Host.StartAsync(_ct);

        var validated = Assert.Single(h.Named("ConnectionValidated"));
        Assert.Equal(LogLevel.Information, validated.Level);
        Assert.Contains($"user {h.Integration.Username}", validated.Message, StringComparison.Ordinal);
        Assert.Contains("key from Certificate", validated.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Org.Counters.TokenRequests);
        await h.Host.StopAsync(_ct);
    }

    [Fact]
    public async Task HostStart_InvalidOptions_FailsBeforeAnyServiceStarts()
    {
        using var h = new HostHarness(o => o.CertificateExpiryWarning = TimeSpan.FromDays(400));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => h.Host.StartAsync(_ct));

        Assert.Contains("CertificateExpiryWarning", error.Message, StringComparison.Ordinal);
        Assert.Empty(h.Named("ConnectionValidated"));
    }

    [Fact]
    public async Task WarmUpOnStart_ObtainsTheFirstTokenBeforeStartReturns_AndRequestsReuseIt()
    {
        using var h = new HostHarness(o => o.WarmUpOnStart = true);

        await h.Host.StartAsync(_ct);

        Assert.Equal(1, h.Org.Counters.TokensIssued);
        var warmed = Assert.Single(h.Named("WarmUpSucceeded"));
        Assert.Matches(@"in \d+ ms", warmed.Message);
        using (await h.Host.Services.GetRequiredService<IHttpClientFactory>().CreateClient(SalesforceJwtDefaults.ClientName).GetAsync("services/data/v62.0/limits", _ct))
        {
        }

        Assert.Equal(1, h.Org.Counters.TokensIssued);
        await h.Host.StopAsync(_ct);
    }

    [Fact]
    public async Task WarmUpOnStart_Failure_IsLoggedAsAnError_AndTheHostStillStarts()
    {
        using var h = new HostHarness(o => o.WarmUpOnStart = true);
        h.Integration.User.IsActive = false;

        await h.Host.StartAsync(_ct);

        var failed = Assert.Single(h.Named("WarmUpFailed"));
        Assert.Equal(LogLevel.Error, failed.Level);
        Assert.Contains("InactiveUser", failed.Message, StringComparison.Ordinal);
        await h.Host.StopAsync(_ct);
    }

    [Fact]
    public async Task WarmUp_IsOffByDefault()
    {
        using var h = new HostHarness();

        await h.Host.StartAsync(_ct);

        Assert.Empty(h.Named("WarmUpSucceeded"));
        Assert.Equal(0, h.Org.Counters.TokenRequests);
        await h.Host.StopAsync(_ct);
    }
}
