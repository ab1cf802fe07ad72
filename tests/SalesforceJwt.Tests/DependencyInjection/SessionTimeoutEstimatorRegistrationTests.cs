using Microsoft.Extensions.DependencyInjection;
using SalesforceJwt.Tests.TestSupport;
using SalesforceJwt.Tokens;

namespace SalesforceJwt.Tests.DependencyInjection;

/// <summary>How an app gets at the session-timeout estimate: from the library's provider, or "unknown" when the provider was replaced.</summary>
public sealed class SessionTimeoutEstimatorRegistrationTests
{
    private sealed class OwnProvider : ISalesforceTokenProvider
    {
        public ValueTask<SalesforceToken> GetTokenAsync(string connectionName, SalesforceTokenRequest? request = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }

    [Fact]
    public void Default_IsTheTokenProvider_AndAConfiguredTimeoutIsReportedBeforeAnyToken()
    {
        var services = new ServiceCollection();
        services.AddSalesforceJwt(o => { o.ConsumerKey = "k"; o.Username = "u@example.com"; o.PrivateKey = TestKeys.Shared; o.SessionTimeout = TimeSpan.FromHours(2); });
        using var provider = services.BuildServiceProvider();

        var estimates = provider.GetRequiredService<ISalesforceSessionTimeoutEstimator>();
        var estimate = estimates.GetSessionTimeoutEstimate(SalesforceJwtDefaults.ClientName);

        Assert.Same(provider.GetRequiredService<ISalesforceTokenProvider>(), estimates);
        Assert.Equal(SalesforceSessionTimeoutSource.Configured, estimate.Source);
        Assert.Equal(TimeSpan.FromHours(2), estimate.Timeout);
        Assert.Null(estimate.LowerBound);
        Assert.Equal(SalesforceSessionTimeoutSource.Unknown, estimates.GetSessionTimeoutEstimate("not-registered").Source);
    }

    [Fact]
    public void ReplacedTokenProvider_EstimateIsUnknown()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ISalesforceTokenProvider, OwnProvider>();
        services.AddSalesforceJwt(o => { o.ConsumerKey = "k"; o.Username = "u@example.com"; o.PrivateKey = TestKeys.Shared; });
        using var provider = services.BuildServiceProvider();

        var estimate = provider.GetRequiredService<ISalesforceSessionTimeoutEstimator>().GetSessionTimeoutEstimate(SalesforceJwtDefaults.ClientName);

        Assert.Equal(SalesforceSessionTimeoutSource.Unknown, estimate.Source);
        Assert.Null(estimate.Timeout);
        Assert.Equal("unknown (Unknown)", estimate.ToString());
    }
}
