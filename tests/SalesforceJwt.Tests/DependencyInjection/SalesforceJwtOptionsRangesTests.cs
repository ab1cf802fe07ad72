using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using SalesforceJwt.DependencyInjection.Internal;
using Ranges = SalesforceJwt.DependencyInjection.Internal.SalesforceJwtOptionsRanges;

namespace SalesforceJwt.Tests.DependencyInjection;

/// <summary>
/// Each option's allowed range is declared once, in <see cref="SalesforceJwtOptionsRanges"/>; the validator enforces it,
/// and the options' XML docs (<c>&lt;value&gt;</c>) and the README's Options table must state the same bounds, so that
/// the numbers cannot drift apart silently.
/// </summary>
public sealed class SalesforceJwtOptionsRangesTests
{
    private enum Kind
    {
        /// <summary>A <see cref="TimeSpan"/>, bounds in seconds.</summary>
        Duration,

        /// <summary>A whole number.</summary>
        Count,

        /// <summary>A number of bytes.</summary>
        Bytes,

        /// <summary>A share, above its lower bound.</summary>
        Share,
    }

    private sealed record Bound(Kind Kind, double Min, double Max, bool MinExclusive = false);

    private static readonly Dictionary<string, Bound> s_ranges = new(StringComparer.Ordinal)
    {
        [nameof(SalesforceJwtOptions.AssertionLifetime)] = Duration(Ranges.MinAssertionLifetime, Ranges.MaxAssertionLifetime),
        [nameof(SalesforceJwtOptions.SessionTimeout)] = Duration(Ranges.MinSessionTimeout, Ranges.MaxSessionTimeout),
        [nameof(SalesforceJwtOptions.ReauthenticationPause)] = Duration(Ranges.MinPause, Ranges.MaxPause),
        [nameof(SalesforceJwtOptions.LoginRateLimitPause)] = Duration(Ranges.MinPause, Ranges.MaxPause),
        [nameof(SalesforceJwtOptions.TokenRequestTimeout)] = Duration(Ranges.MinTokenRequestTimeout, Ranges.MaxTokenRequestTimeout),
        [nameof(SalesforceJwtOptions.CertificateExpiryWarning)] = Duration(Ranges.MinCertificateExpiryWarning, Ranges.MaxCertificateExpiryWarning),
        [nameof(SalesforceJwtOptions.MaxLoginsPerHour)] = new(Kind.Count, Ranges.MinLoginsPerHour, Ranges.MaxLoginsPerHour),
        [nameof(SalesforceJwtOptions.MaxCachedUsers)] = new(Kind.Count, Ranges.MinCachedUsers, Ranges.MaxCachedUsers),
        [nameof(SalesforceJwtOptions.MaxReplayBufferBytes)] = new(Kind.Bytes, Ranges.MinReplayBufferBytes, Ranges.MaxReplayBufferBytes),
        [nameof(SalesforceJwtOptions.ApiUsageWarningThreshold)] =
            new(Kind.Share, Ranges.ApiUsageWarningThresholdAbove, Ranges.MaxApiUsageWarningThreshold, MinExclusive: true),
    };

    // "30 seconds to 3 minutes", "0 (warn only once expired) to 365 days", "1 to 3,600", "above 0 up to 1", "above 0, at most 1".
    private static readonly Regex s_range = new(
        Quantity("min") + @"(?:\s*\([^)]*\))?(?:\s+to\s+|\s+up to\s+|,\s*at most\s+)" + Quantity("max"),
        RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    public static TheoryData<string> RangedOptions => new(s_ranges.Keys);

    [Theory]
    [MemberData(nameof(RangedOptions))]
    public void XmlDocValue_StatesTheDeclaredBounds(string option)
    {
        var value = XmlDocValue(option);
        var allowed = value.IndexOf("Allowed:", StringComparison.Ordinal);
        Assert.True(allowed >= 0, $"The <value> of {option} does not say what is allowed: {value}");

        AssertStates(s_ranges[option], value[allowed..], $"XML doc <value> of {option}");
    }

    [Theory]
    [MemberData(nameof(RangedOptions))]
    public void ReadmeOptionsRow_StatesTheDeclaredBounds(string option)
    {
        var readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "README.md"));
        var rows = readme.Split('\n').Where(l => l.StartsWith($"| `{option}` |", StringComparison.Ordinal)).ToList();
        var row = Assert.Single(rows);
        var meaning = row.TrimEnd().TrimEnd('|').Split('|')[^1];

        AssertStates(s_ranges[option], meaning, $"README row of {option}");
    }

    [Fact]
    public void EveryOptionDocumentedWithARange_HasItsRangeDeclared()
    {
        var documented = typeof(SalesforceJwtOptions).GetProperties()
            .Where(p => XmlDocValue(p.Name) is var value && value.Contains("Allowed:", StringComparison.Ordinal) && s_range.IsMatch(value))
            .Select(p => p.Name)
            .Order(StringComparer.Ordinal);

        Assert.Equal(s_ranges.Keys.Order(StringComparer.Ordinal), documented);
    }

    [Theory]
    [MemberData(nameof(RangedOptions))]
    public void Validator_AcceptsEachBound_RejectsJustPastThem(string option)
    {
        var bound = s_ranges[option];

        if (bound.MinExclusive)
        {
            Assert.NotEmpty(FailuresFor(option, ValueOf(bound.Kind, bound.Min, 0)));
            Assert.Empty(FailuresFor(option, ValueOf(bound.Kind, bound.Min, +1)));
        }
        else
        {
            Assert.Empty(FailuresFor(option, ValueOf(bound.Kind, bound.Min, 0)));
            Assert.NotEmpty(FailuresFor(option, ValueOf(bound.Kind, bound.Min, -1)));
        }

        Assert.Empty(FailuresFor(option, ValueOf(bound.Kind, bound.Max, 0)));
        var failure = Assert.Single(FailuresFor(option, ValueOf(bound.Kind, bound.Max, +1)));

        // The message states the declared bounds ("it must be between 30 seconds and 3 minutes, ..."), read back as the docs are.
        var rule = failure[(failure.IndexOf("must be ", StringComparison.Ordinal) + "must be ".Length)..];
        rule = rule[..IndexOfAny(rule, " (", ", ")];
        AssertStates(bound, rule.Replace(" and at most ", " up to ", StringComparison.Ordinal).Replace(" and ", " to ", StringComparison.Ordinal), $"validator message for {option}");
    }

    [Fact]
    public void ValidatorMessages_SayTheBoundsInTheUnitsAPersonWouldUse()
    {
        Assert.Equal("between 30 seconds and 3 minutes", Ranges.Between(Ranges.MinAssertionLifetime, Ranges.MaxAssertionLifetime));
        Assert.Equal("between 1 minute and 24 hours", Ranges.Between(Ranges.MinSessionTimeout, Ranges.MaxSessionTimeout));
        Assert.Equal("between 0 and 1 hour", Ranges.Between(Ranges.MinPause, Ranges.MaxPause));
        Assert.Equal("between 1 second and 5 minutes", Ranges.Between(Ranges.MinTokenRequestTimeout, Ranges.MaxTokenRequestTimeout));
        Assert.Equal("between 0 and 365 days", Ranges.Between(Ranges.MinCertificateExpiryWarning, Ranges.MaxCertificateExpiryWarning));
        Assert.Equal("between 1 and 3,600", Ranges.Between(Ranges.MinLoginsPerHour, Ranges.MaxLoginsPerHour));
        Assert.Equal("between 1 and 1,000,000", Ranges.Between(Ranges.MinCachedUsers, Ranges.MaxCachedUsers));
        Assert.Equal("between 0 and 100 MiB", Ranges.BetweenBytes(Ranges.MinReplayBufferBytes, Ranges.MaxReplayBufferBytes));
    }

    private static void AssertStates(Bound bound, string text, string where)
    {
        var matches = s_range.Matches(text);
        Assert.True(matches.Count == 1, $"Expected exactly one range in the {where}, found {matches.Count}: {text}");
        var match = matches[0];

        var maxUnit = match.Groups["maxUnit"].Value;
        var minUnit = match.Groups["minUnit"].Success ? match.Groups["minUnit"].Value : maxUnit;
        Assert.True(bound.Min == Amount(match.Groups["min"].Value, minUnit, bound.Kind), $"The {where} states a lower bound other than {bound.Min}: {text}");
        Assert.True(bound.Max == Amount(match.Groups["max"].Value, maxUnit, bound.Kind), $"The {where} states an upper bound other than {bound.Max}: {text}");

        var saysAbove = text[..match.Index].TrimEnd().EndsWith("above", StringComparison.Ordinal);
        Assert.True(bound.MinExclusive == saysAbove, $"The {where} should {(bound.MinExclusive ? "" : "not ")}say 'above' its lower bound: {text}");
    }

    private static int IndexOfAny(string text, params string[] endings) =>
        endings.Select(e => text.IndexOf(e, StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(text.Length).Min();

    private static double Amount(string number, string unit, Kind kind)
    {
        var value = double.Parse(number.Replace(",", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture);
        var scale = unit switch
        {
            "" => 1,
            "s" or "second" or "seconds" => 1,
            "min" or "minute" or "minutes" => 60,
            "h" or "hour" or "hours" => 3600,
            "day" or "days" => 86400,
            "MiB" => 1024 * 1024,
            _ => throw new InvalidOperationException($"Unknown unit '{unit}'."),
        };
        Assert.True(unit.Length > 0 || value == 0 || kind != Kind.Duration, $"A duration of {number} has no unit.");
        return value * scale;
    }

    private static string Quantity(string name) =>
        $@"(?<{name}>\d[\d,]*(?:\.\d+)?)(?:\s*(?<{name}Unit>seconds?|minutes?|min|hours?|h|days?|MiB|s)\b)?";

    private static Bound Duration(TimeSpan min, TimeSpan max) => new(Kind.Duration, min.TotalSeconds, max.TotalSeconds);

    /// <summary>The bound itself (<paramref name="steps"/> 0), or the smallest step past it either way.</summary>
    private static object ValueOf(Kind kind, double bound, int steps) => kind switch
    {
        Kind.Duration => TimeSpan.FromTicks(checked((long)Math.Round(bound * TimeSpan.TicksPerSecond)) + steps),
        Kind.Count => checked((int)bound + steps),
        Kind.Bytes => checked((long)bound + steps),
        _ => bound + (steps * 1e-9),
    };

    private static List<string> FailuresFor(string option, object value)
    {
        var options = new SalesforceJwtOptions { ConsumerKey = "key", Username = "user@example.com" };
        typeof(SalesforceJwtOptions).GetProperty(option, BindingFlags.Public | BindingFlags.Instance)!.SetValue(options, value);

        var result = new SalesforceJwtOptionsValidator().Validate("c", options);

        // No key is set, so the key source fails too; only this option's failures count here.
        return (result.Failures ?? []).Where(f => f.Contains($": {option} is ", StringComparison.Ordinal)).ToList();
    }

    private static string XmlDocValue(string property)
    {
        var docs = XDocument.Load(Path.Combine(AppContext.BaseDirectory, "SalesforceJwt.xml"));
        var member = docs.Descendants("member")
            .Single(m => (string?)m.Attribute("name") == $"P:SalesforceJwt.SalesforceJwtOptions.{property}");
        var value = member.Element("value")?.Value ?? "";
        return Regex.Replace(value, @"\s+", " ", RegexOptions.None, TimeSpan.FromSeconds(1)).Trim();
    }
}
