using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SalesforceJwt.Tokens;

namespace SalesforceJwt.Sample;

/// <summary>
/// Checks a Salesforce connection end to end and says, for anything that fails, the cause and the fix:
/// configuration and key, the login host, the clock, one token exchange (one login) and one API call.
/// </summary>
internal static class Doctor
{
    private static readonly TimeSpan s_skewWarning = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(IConfiguration section, TextWriter output, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        var clock = timeProvider ?? TimeProvider.System;
        var services = new ServiceCollection();
        services.AddSingleton(clock);
        services.AddSalesforceJwt(section);
        await using var provider = services.BuildServiceProvider();
        var report = new Report(output);

        output.WriteLine("SalesforceJwt doctor");
        output.WriteLine();

        // 1. Configuration and key: the same validation the host runs at start-up.
        SalesforceJwtOptions options;
        try
        {
            options = provider.GetRequiredService<IOptionsMonitor<SalesforceJwtOptions>>().Get(SalesforceJwtDefaults.ClientName);
            report.Pass("configuration", $"consumer key {Mask(options.ConsumerKey)}, user {options.Username}, login host {options.LoginUrl.GetLeftPart(UriPartial.Authority)}, key loads and signs");
        }
        catch (OptionsValidationException ex)
        {
            foreach (var failure in ex.Failures)
            {
                report.Fail("configuration", failure);
            }

            return report.Finish();
        }

        // 2 and 3. The login host answers, and its clock agrees with ours.
        var skew = await CheckLoginHostAsync(options.LoginUrl, clock, report, cancellationToken).ConfigureAwait(false);
        if (skew is null)
        {
            return report.Finish();
        }

        // 4. One token exchange.
        output.WriteLine("  … exchanging one assertion for a token: this is one login for the user (Salesforce allows 3,600 an hour)");
        SalesforceToken token;
        try
        {
            token = await provider.GetRequiredService<ISalesforceTokenProvider>()
                .GetTokenAsync(SalesforceJwtDefaults.ClientName, cancellationToken: cancellationToken).ConfigureAwait(false);
            report.Pass("token", $"instance {token.InstanceUrl.GetLeftPart(UriPartial.Authority)}, org {token.OrganizationId}, user id {token.UserId}, scopes '{token.Scope}'");
        }
        catch (SalesforceJwtException ex)
        {
            report.Fail("token", $"{ex.Code}: {ex.Message}");
            if (ex.Code == SalesforceErrorCode.AssertionExpired && skew.Value.Duration() > s_skewWarning)
            {
                report.Note($"This machine's clock is {Describe(skew.Value)} the login host's; that alone explains the expired assertion.");
            }

            return report.Finish();
        }

        // 5. One API call to the returned instance.
        try
        {
            var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient(SalesforceJwtDefaults.ClientName);
            using var response = await client.GetAsync("services/data/v62.0/limits", cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                report.Pass("API call", $"GET services/data/v62.0/limits -> {(int)response.StatusCode}{DailyRequests(body)}");
            }
            else
            {
                report.Fail("API call", $"GET services/data/v62.0/limits -> {(int)response.StatusCode}: {Excerpt(body)}. {ApiHint(body)}");
            }
        }
        catch (SalesforceJwtException ex)
        {
            report.Fail("API call", $"{ex.Code}: {ex.Message}");
        }
        catch (HttpRequestException ex)
        {
            report.Fail("API call", $"the instance {token.InstanceUrl} could not be reached: {ex.Message}");
        }

        return report.Finish();
    }

    private static async Task<TimeSpan?> CheckLoginHostAsync(Uri loginUrl, TimeProvider clock, Report report, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(20) };
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.GetAsync(loginUrl, cancellationToken).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(started);
            report.Pass("login host", $"{loginUrl.GetLeftPart(UriPartial.Authority)} answered {(int)response.StatusCode} in {elapsed.TotalMilliseconds:0} ms");
            if (response.Headers.Date is not { } serverTime)
            {
                report.Warn("clock", "the login host sent no Date header, so clock skew could not be measured");
                return TimeSpan.Zero;
            }

            var skew = clock.GetUtcNow() - serverTime - (elapsed / 2);
            if (skew.Duration() > TimeSpan.FromMinutes(2))
            {
                report.Fail("clock", $"this machine's clock is {Describe(skew)} the login host's. Assertions expire 2 minutes after signing, so Salesforce would see them expired or early. Synchronise the clock with NTP.");
            }
            else if (skew.Duration() > s_skewWarning)
            {
                report.Warn("clock", $"this machine's clock is {Describe(skew)} the login host's; synchronise it with NTP");
            }
            else
            {
                report.Pass("clock", $"within {Math.Max(1, Math.Ceiling(skew.Duration().TotalSeconds)):0} s of the login host's");
            }

            return skew;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            report.Fail("login host", $"{loginUrl.GetLeftPart(UriPartial.Authority)} could not be reached ({ex.Message}). Check LoginUrl, DNS, proxies and firewalls.");
            return null;
        }
    }

    private static string Describe(TimeSpan skew) =>
        $"{Math.Abs(skew.TotalSeconds):0} s {(skew > TimeSpan.Zero ? "ahead of" : "behind")}";

    private static string Mask(string? value) => value is null || value.Length <= 8 ? "(set)" : value[..8] + "…";

    private static string DailyRequests(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var daily = json.RootElement.GetProperty("DailyApiRequests");
            return $": {daily.GetProperty("Remaining")} of {daily.GetProperty("Max")} daily API requests left";
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return string.Empty;
        }
    }

    private static string Excerpt(string body) => body.Length <= 200 ? body : body[..200] + "…";

    private static string ApiHint(string body) =>
        body.Contains("not valid for use with the REST API", StringComparison.Ordinal)
            ? "The session is valid but the REST API refuses it: the profile requires High Assurance sessions, or API Access Control blocks the app."
            : body.Contains("API_DISABLED_FOR_ORG", StringComparison.Ordinal)
                ? "The org's edition has no API access, or the user lacks the 'API Enabled' permission."
                : "Check the user's permissions for this API.";

    private sealed class Report(TextWriter output)
    {
        private int _failures;

        public void Pass(string check, string detail) => output.WriteLine($"  ok    {check}: {detail}");

        public void Warn(string check, string detail) => output.WriteLine($"  warn  {check}: {detail}");

        public void Fail(string check, string detail)
        {
            _failures++;
            output.WriteLine($"  FAIL  {check}: {detail}");
        }

        public void Note(string detail) => output.WriteLine($"        {detail}");

        public int Finish()
        {
            output.WriteLine();
            output.WriteLine(_failures == 0 ? "Everything passed." : $"{_failures} check(s) failed; see above for the cause and the fix.");
            return _failures == 0 ? 0 : 1;
        }
    }
}
