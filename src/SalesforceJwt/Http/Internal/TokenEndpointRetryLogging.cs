using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Telemetry;
using SalesforceJwt.Diagnostics;

namespace SalesforceJwt.Http.Internal;

/// <summary>
/// Makes a failing token endpoint log one line per failed attempt (host and reason) instead of Polly's two warnings
/// per attempt, which turn an unreachable login host into a wall of text. The final failure is logged once, as an
/// error, by the token provider. Polly's metrics and its logs for every other pipeline are left as they are.
/// </summary>
internal sealed class TokenEndpointRetryLogging(ILoggerFactory loggerFactory)
    : IConfigureNamedOptions<HttpStandardResilienceOptions>, IPostConfigureOptions<TelemetryOptions>
{
    private const string PipelineName = SalesforceJwtDefaults.TokenClientName + "-standard";
    private readonly ILogger _logger = loggerFactory.CreateLogger("SalesforceJwt.TokenEndpoint");

    public void Configure(string? name, HttpStandardResilienceOptions options)
    {
        if (!string.Equals(name, PipelineName, StringComparison.Ordinal))
        {
            return;
        }

        var previous = options.Retry.OnRetry;
        options.Retry.OnRetry = args =>
        {
            var host = args.Outcome.Result?.RequestMessage?.RequestUri?.Host ?? args.Context.GetRequestMessage()?.RequestUri?.Host ?? "the token endpoint";
            var reason = args.Outcome.Exception is { } ex
                ? $"{ex.GetType().Name}: {ex.Message}"
                : $"HTTP {(int)args.Outcome.Result!.StatusCode} {args.Outcome.Result.ReasonPhrase}";
            Log.TokenAttemptFailed(_logger, args.AttemptNumber + 1, host, reason, (long)args.RetryDelay.TotalMilliseconds);
            return previous is null ? default : previous(args);
        };
    }

    public void Configure(HttpStandardResilienceOptions options) => Configure(Options.DefaultName, options);

    public void PostConfigure(string? name, TelemetryOptions options)
    {
        var previous = options.SeverityProvider;
        options.SeverityProvider = args =>
            args.Source.PipelineName is { } pipeline && pipeline.StartsWith(PipelineName, StringComparison.Ordinal)
            && args.Event.EventName is "OnRetry" or "ExecutionAttempt"
                ? ResilienceEventSeverity.Debug
                : previous?.Invoke(args) ?? args.Event.Severity;
    }
}
