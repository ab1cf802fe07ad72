using Microsoft.Extensions.Diagnostics.HealthChecks;
using SalesforceJwt;
using SalesforceJwt.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds health checks of Salesforce connections registered with <c>AddSalesforceJwt</c>.</summary>
public static class SalesforceJwtHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a health check of one connection. It is healthy while the connection holds a token or can obtain one, and
    /// it shares the connection's token cache and single flight, so checks never cause more than one login per session.
    /// It is degraded while token requests are paused or the certificate is within its warning window, and reports
    /// <paramref name="failureStatus"/> with Salesforce's error code and the fix otherwise.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="connectionName">The connection to check; <see cref="SalesforceJwtDefaults.ClientName"/> unless a name was given to <c>AddSalesforceJwt</c>.</param>
    /// <param name="name">The health check's name; defaults to <c>salesforce:</c> and the connection's name.</param>
    /// <param name="failureStatus">What a failure reports; defaults to <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to filter health checks by, for example <c>ready</c>.</param>
    /// <param name="timeout">How long the check may take; <see langword="null"/> for no limit of its own (the token request has its own, <c>TokenRequestTimeout</c>).</param>
    /// <returns>The same builder.</returns>
    public static IHealthChecksBuilder AddSalesforceJwt(
        this IHealthChecksBuilder builder,
        string connectionName = SalesforceJwtDefaults.ClientName,
        string? name = null,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null,
        TimeSpan? timeout = null)
    {
#if NET8_0_OR_GREATER
        ArgumentNullException.ThrowIfNull(builder);
#else
        if (builder is null)
        {
            throw new ArgumentNullException(nameof(builder));
        }
#endif

        if (string.IsNullOrEmpty(connectionName))
        {
            throw new ArgumentException("The connection's name is required.", nameof(connectionName));
        }

        return builder.Add(new HealthCheckRegistration(
            name ?? "salesforce:" + connectionName,
            services => new SalesforceJwtHealthCheck(services, connectionName),
            failureStatus,
            tags,
            timeout));
    }
}
