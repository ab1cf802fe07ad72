using Microsoft.Extensions.Logging;

namespace SalesforceJwt.Diagnostics;

/// <summary>Log messages of the REST helpers and the API usage reading (event ids 300–319).</summary>
internal static partial class Log
{
    [LoggerMessage(300, LogLevel.Warning, "Connection {Connection} has used {Used} of {Max} daily API requests ({Percent:0.0}%), above the warning threshold of {ThresholdPercent:0.#}%. At the allocation Salesforce answers REQUEST_LIMIT_EXCEEDED until the 24-hour window moves on.", EventName = "ApiUsageHigh")]
    public static partial void ApiUsageHigh(ILogger logger, string connection, long used, long max, double percent, double thresholdPercent);

    [LoggerMessage(301, LogLevel.Information, "Connection {Connection} is back below the API usage warning threshold: {Used} of {Max} daily API requests", EventName = "ApiUsageBelowThreshold")]
    public static partial void ApiUsageBelowThreshold(ILogger logger, string connection, long used, long max);
}
