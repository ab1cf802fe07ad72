using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace SalesforceJwt.Testing.Tests;

/// <summary>The README's "Testing your own integration" snippet, kept compiling and passing.</summary>
public sealed class ReadmeExampleTests
{
    [Fact]
    public async Task ReadmeSnippet_SessionTimesOut_TheSecondPostReauthenticatesTransparently()
    {
        var clock = new FakeTimeProvider();
        using var org = FakeSalesforceOrg.Start(new FakeSalesforceOrgOptions { TimeProvider = clock });
        var integration = org.CreateIntegration("integration@example.com");   // fresh key, app, approved user

        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSalesforceJwt(integration.Configure);
        using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient(SalesforceJwtDefaults.ClientName);

        await client.PostAsJsonAsync("services/data/v62.0/sobjects/Account", new { Name = "Acme" }, TestContext.Current.CancellationToken);
        clock.Advance(TimeSpan.FromHours(3));                                  // the session times out
        await client.PostAsJsonAsync("services/data/v62.0/sobjects/Account", new { Name = "Globex" }, TestContext.Current.CancellationToken);

        Assert.Equal(2, org.Counters.LoginsByUser["integration@example.com"]);
        Assert.Equal(2, org.Records("Account").Count);
        Assert.Equal(1, org.Counters.UnauthorizedServed);
        Assert.Equal(0, org.Counters.MalformedAuthorizationHeaders);
    }
}
