using Microsoft.Extensions.Diagnostics.HealthChecks;
using SalesforceJwt.Diagnostics;

namespace SalesforceJwt.HealthChecks;

/// <summary>Reports one connection's health from the doctor's probe: options, certificate expiry and the (cached) token.</summary>
internal sealed class SalesforceJwtHealthCheck(IServiceProvider services, string connectionName) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var report = await SalesforceJwtDoctor.ProbeAsync(services, connectionName, cancellationToken).ConfigureAwait(false);
        var data = new Dictionary<string, object>(StringComparer.Ordinal) { ["connection"] = connectionName };
        foreach (var check in report.Checks)
        {
            data[check.Name] = $"{check.Outcome}: {check.Detail}";
        }

        var worst = report.Checks.Where(c => c.Outcome == report.Outcome).FirstOrDefault();
        if (worst is null || report.Outcome is SalesforceDoctorOutcome.Passed or SalesforceDoctorOutcome.Skipped)
        {
            return HealthCheckResult.Healthy($"Salesforce connection '{connectionName}': {(report.Checks.Count > 0 ? report.Checks[^1].Detail : "no check ran")}", data);
        }

        if (worst.ErrorCode is { } code)
        {
            data["errorCode"] = code.ToString();
        }

        if (worst.Fix is { } fix)
        {
            data["fix"] = fix;
        }

        var description = $"Salesforce connection '{connectionName}', {worst.Name}: {worst.Detail}" + (worst.Fix is null ? string.Empty : $" Fix: {worst.Fix}");
        return report.Outcome == SalesforceDoctorOutcome.Warning
            ? HealthCheckResult.Degraded(description, data: data)
            : new HealthCheckResult(context.Registration.FailureStatus, description, data: data);
    }
}
