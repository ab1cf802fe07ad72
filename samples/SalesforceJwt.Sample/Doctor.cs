using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SalesforceJwt.Diagnostics;

namespace SalesforceJwt.Sample;

/// <summary>
/// The sample's <c>doctor</c> command: the library's <see cref="SalesforceJwtDoctor"/> on the configured connection,
/// printed as text. The <c>salesforce-jwt</c> tool runs the same checks.
/// </summary>
internal static class Doctor
{
    public static async Task<int> RunAsync(IConfiguration section, TextWriter output, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        var services = new ServiceCollection();
        services.AddSingleton(timeProvider ?? TimeProvider.System);
        services.AddSalesforceJwt(section);
        await using var provider = services.BuildServiceProvider();

        var report = await SalesforceJwtDoctor.RunAsync(provider, SalesforceJwtDefaults.ClientName, cancellationToken).ConfigureAwait(false);
        await output.WriteAsync(report.ToString()).ConfigureAwait(false);
        return report.Outcome switch
        {
            SalesforceDoctorOutcome.Failed => 1,
            SalesforceDoctorOutcome.Warning => 2,
            _ => 0,
        };
    }
}
