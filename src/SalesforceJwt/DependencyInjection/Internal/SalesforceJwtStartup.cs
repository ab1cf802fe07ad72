using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SalesforceJwt.Diagnostics;
using SalesforceJwt.Diagnostics.Internal;
using SalesforceJwt.Tokens;

namespace SalesforceJwt.DependencyInjection.Internal;

/// <summary>
/// While the host starts and before it takes traffic (<see cref="IHostedLifecycleService.StartingAsync"/> runs before
/// any hosted service's StartAsync, the web server's included): says each connection is valid, starts the certificate
/// expiry monitor, and obtains the first token of connections that ask for a warm-up.
/// </summary>
internal sealed class SalesforceJwtStartup(
    CertificateExpiryMonitor monitor,
    IOptionsMonitor<SalesforceJwtOptions> options,
    ISalesforceTokenProvider tokenProvider,
    TimeProvider timeProvider,
    ILogger<SalesforceJwtStartup> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        foreach (var connection in monitor.Connections)
        {
            // Validated by ValidateOnStart before any hosted service starts; Get returns the cached instance.
            var settings = options.Get(connection);
            Log.ConnectionValidated(logger, connection, settings.Username!, settings.LoginUrl.GetLeftPart(UriPartial.Authority), monitor.GetStatus(connection).KeySource);
        }

        monitor.Start();

        foreach (var connection in monitor.Connections.Where(c => options.Get(c).WarmUpOnStart))
        {
            var started = timeProvider.GetTimestamp();
            try
            {
                var token = await tokenProvider.GetTokenAsync(connection, cancellationToken: cancellationToken).ConfigureAwait(false);
                Log.WarmUpSucceeded(logger, connection, token.Username ?? options.Get(connection).Username, token.InstanceUrl.Host,
                    (long)timeProvider.GetElapsedTime(started).TotalMilliseconds);
            }
            catch (SalesforceJwtException ex)
            {
                Log.WarmUpFailed(logger, connection, ex.Code, ex.Message);
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
