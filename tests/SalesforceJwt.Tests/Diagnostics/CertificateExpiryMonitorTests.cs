using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using SalesforceJwt.Tests.TestSupport;

namespace SalesforceJwt.Tests.Diagnostics;

/// <summary>Certificate expiry warnings at host start and once a day, and the days-left gauge.</summary>
public sealed class CertificateExpiryMonitorTests
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task HostStart_CertificateWithin30Days_WarnsBeforeAnyRequest_ThenOnceADay()
    {
        using var h = new HostHarness(certificateValidFor: TimeSpan.FromDays(10));

        await h.Host.StartAsync(_ct);

        var first = Assert.Single(h.Named("CertificateExpiring"));
        Assert.Equal(LogLevel.Warning, first.Level);
        Assert.Contains("in 10 days", first.Message, StringComparison.Ordinal);
        Assert.Contains("#certificate-expiry-and-rotation", first.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Org.Counters.TokenRequests);

        h.Clock.Advance(TimeSpan.FromHours(23));
        Assert.Single(h.Named("CertificateExpiring"));
        h.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(2, h.Named("CertificateExpiring").Count);
        Assert.Contains("in 9 days", h.Named("CertificateExpiring")[1].Message, StringComparison.Ordinal);
        await h.Host.StopAsync(_ct);
    }

    [Fact]
    public async Task ExpiredCertificate_WarnsThatSalesforceStillAcceptsIt_AndThatRotationIsDue()
    {
        using var h = new HostHarness(certificateValidFor: TimeSpan.FromDays(2));
        await h.Host.StartAsync(_ct);

        h.Clock.Advance(TimeSpan.FromDays(5));

        var expired = h.Named("CertificateExpired");
        Assert.NotEmpty(expired);
        Assert.Equal(LogLevel.Warning, expired[^1].Level);
        Assert.Contains("Salesforce still accepts assertions signed with its key today, but rotation is due", expired[^1].Message, StringComparison.Ordinal);
        Assert.Contains("3 days ago", expired[^1].Message, StringComparison.Ordinal);
        await h.Host.StopAsync(_ct);
    }

    [Fact]
    public async Task CertificateOutsideTheWindow_LogsNothing_AndTheWindowIsConfigurable()
    {
        using var quiet = new HostHarness(o => o.CertificateExpiryWarning = TimeSpan.FromDays(5), certificateValidFor: TimeSpan.FromDays(10));
        await quiet.Host.StartAsync(_ct);
        Assert.Empty(quiet.Named("CertificateExpiring"));

        for (var day = 1; day <= 4; day++)
        {
            quiet.Clock.Advance(TimeSpan.FromDays(1));
        }

        Assert.Empty(quiet.Named("CertificateExpiring"));
        quiet.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Contains("in 5 days", Assert.Single(quiet.Named("CertificateExpiring")).Message, StringComparison.Ordinal);
        await quiet.Host.StopAsync(_ct);
    }

    [Fact]
    public async Task PrivateKeyOnly_SaysOnceThatExpiryCannotBeChecked()
    {
        using var h = new HostHarness(o =>
        {
            o.Certificate = null;
            o.PrivateKey = TestKeys.Shared;
        });
        await h.Host.StartAsync(_ct);
        h.Clock.Advance(TimeSpan.FromDays(3));

        var info = Assert.Single(h.Named("CertificateExpiryUnknown"));
        Assert.Equal(LogLevel.Information, info.Level);
        Assert.Contains("Set CertificatePath", info.Message, StringComparison.Ordinal);
        Assert.Empty(h.Named("CertificateExpiring"));
        await h.Host.StopAsync(_ct);
    }

    [Fact]
    public async Task Gauge_ReportsTheDaysLeftPerConnection()
    {
        using var h = new HostHarness(certificateValidFor: TimeSpan.FromDays(40));
        using var daysLeft = new MetricCollector<double>(h.Host.Services.GetRequiredService<IMeterFactory>(), SalesforceJwtDefaults.MeterName, "salesforcejwt.certificate.days_left");
        await h.Host.StartAsync(_ct);

        daysLeft.RecordObservableInstruments();
        Assert.Equal(40, daysLeft.LastMeasurement!.Value, precision: 3);
        Assert.Equal(SalesforceJwtDefaults.ClientName, daysLeft.LastMeasurement.Tags["salesforcejwt.connection"]);

        h.Clock.Advance(TimeSpan.FromDays(41));
        daysLeft.RecordObservableInstruments();
        Assert.Equal(-1, daysLeft.LastMeasurement!.Value, precision: 3);
        await h.Host.StopAsync(_ct);
    }
}
