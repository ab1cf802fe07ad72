using System.Globalization;

namespace SalesforceJwt.DependencyInjection.Internal;

/// <summary>
/// The allowed range of each ranged option of <see cref="SalesforceJwtOptions"/>, declared once. The validator checks
/// against these and words its messages from them; the options' XML docs and the README's Options table state them in
/// prose, and a test holds both to these values.
/// </summary>
internal static class SalesforceJwtOptionsRanges
{
    /// <summary>Salesforce's documented window for the assertion's <c>exp</c>.</summary>
    public static readonly TimeSpan MinAssertionLifetime = TimeSpan.FromSeconds(30);

    /// <summary>Salesforce's documented window for the assertion's <c>exp</c>.</summary>
    public static readonly TimeSpan MaxAssertionLifetime = TimeSpan.FromMinutes(3);

    public static readonly TimeSpan MinSessionTimeout = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan MaxSessionTimeout = TimeSpan.FromHours(24);

    /// <summary>Bounds of <see cref="SalesforceJwtOptions.ReauthenticationPause"/> and <see cref="SalesforceJwtOptions.LoginRateLimitPause"/>.</summary>
    public static readonly TimeSpan MinPause = TimeSpan.Zero;

    /// <summary>Bounds of <see cref="SalesforceJwtOptions.ReauthenticationPause"/> and <see cref="SalesforceJwtOptions.LoginRateLimitPause"/>.</summary>
    public static readonly TimeSpan MaxPause = TimeSpan.FromHours(1);

    public static readonly TimeSpan MinTokenRequestTimeout = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxTokenRequestTimeout = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan MinCertificateExpiryWarning = TimeSpan.Zero;

    public static readonly TimeSpan MaxCertificateExpiryWarning = TimeSpan.FromDays(365);

    public const int MinLoginsPerHour = 1;

    /// <summary>Salesforce's own limit of logins per user per hour.</summary>
    public const int MaxLoginsPerHour = 3600;

    public const int MinCachedUsers = 1;

    public const int MaxCachedUsers = 1_000_000;

    public const long MinReplayBufferBytes = 0;

    public const long MaxReplayBufferBytes = 100L * Mebibyte;

    /// <summary>The lower bound of <see cref="SalesforceJwtOptions.ApiUsageWarningThreshold"/>, itself not allowed.</summary>
    public const double ApiUsageWarningThresholdAbove = 0;

    public const double MaxApiUsageWarningThreshold = 1;

    private const long Mebibyte = 1024 * 1024;

    /// <summary>Says "between {min} and {max}" in the units a person would use, such as "between 30 seconds and 3 minutes".</summary>
    public static string Between(TimeSpan min, TimeSpan max) => $"between {Describe(min)} and {Describe(max)}";

    /// <summary>Says "between {min} and {max}" with digits grouped, such as "between 1 and 3,600".</summary>
    public static string Between(long min, long max) => $"between {Describe(min)} and {Describe(max)}";

    /// <summary>Says "between {min} and {max}" for byte counts, in MiB where whole, such as "between 0 and 100 MiB".</summary>
    public static string BetweenBytes(long min, long max) => $"between {DescribeBytes(min)} and {DescribeBytes(max)}";

    public static string Describe(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    public static string Describe(TimeSpan value) => value switch
    {
        _ when value == TimeSpan.Zero => "0",
        // 24 hours reads better than 1 day for a session; 365 days better than 8,760 hours.
        _ when value.Ticks % TimeSpan.TicksPerDay == 0 && value.TotalDays > 1 => Unit(value.TotalDays, "day"),
        _ when value.Ticks % TimeSpan.TicksPerHour == 0 => Unit(value.TotalHours, "hour"),
        _ when value.Ticks % TimeSpan.TicksPerMinute == 0 => Unit(value.TotalMinutes, "minute"),
        _ => Unit(value.TotalSeconds, "second"),
    };

    private static string DescribeBytes(long value) =>
        value != 0 && value % Mebibyte == 0 ? $"{Describe(value / Mebibyte)} MiB" : value == 0 ? "0" : $"{Describe(value)} bytes";

    private static string Unit(double amount, string unit) =>
        amount.ToString("#,0.###", CultureInfo.InvariantCulture) + " " + unit + (amount == 1 ? "" : "s");
}
