using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using SalesforceJwt.Rest;
using SalesforceJwt.Testing;
using SalesforceJwt.Tokens;

namespace SalesforceJwt.Sample;

/// <summary>
/// The whole story against a fake org in this process: sign, exchange, call, let the session expire, and watch the
/// handler re-authenticate and replay a POST without the app noticing.
/// </summary>
internal static class FakeOrgDemo
{
    public static async Task<int> RunAsync(TextWriter output)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var org = FakeSalesforceOrg.Start(new FakeSalesforceOrgOptions { TimeProvider = clock, SessionTimeout = TimeSpan.FromHours(2) });
        var integration = org.CreateIntegration("integration@example.com");

        output.WriteLine($"""
            No Salesforce org is configured, so this demo runs against a fake org at {org.Url}
            (run with --help-setup to see how to point it at a real org).

            1. A fresh RSA key and self-signed certificate were made; the certificate is "uploaded" to a connected app
               with consumer key {integration.ConsumerKey[..14]}…, and {integration.Username} is pre-authorized for it.

            """);

        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddLogging(logging => logging.AddSimpleConsole(o => { o.SingleLine = true; o.IncludeScopes = false; })
            .SetMinimumLevel(LogLevel.Warning)
            .AddFilter("SalesforceJwt", LogLevel.Information));
        services.AddSalesforceJwt(integration.Configure);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient(SalesforceJwtDefaults.ClientName);

        output.WriteLine("2. The first API call signs an assertion and exchanges it for a token:");
        using (var limits = await client.GetAsync("services/data/v62.0/limits"))
        {
            await Flush();
            PrintAssertion(output, org);
            var token = await provider.GetRequiredService<ISalesforceTokenProvider>().GetTokenAsync(SalesforceJwtDefaults.ClientName);
            output.WriteLine($"   token: {token}");
            using var body = JsonDocument.Parse(await limits.Content.ReadAsStringAsync());
            var daily = body.RootElement.GetProperty("DailyApiRequests");
            output.WriteLine($"""
                   GET services/data/v62.0/limits -> {(int)limits.StatusCode}: {daily.GetProperty("Remaining")} of {daily.GetProperty("Max")} daily API requests left

                """);
        }

        output.WriteLine("3. Two hours and a minute pass with no activity: the session's idle timeout ends it.");
        output.WriteLine("   (The assertion's exp claim plays no part in this; it only bounded the exchange.)");
        clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));
        output.WriteLine($"   live sessions at the org: {org.LiveSessions().Count}");
        output.WriteLine();

        output.WriteLine("4. The app creates an Account with client.CreateRecordAsync. Salesforce answers 401 INVALID_SESSION_ID;");
        output.WriteLine("   the handler signs a new assertion, gets a new token and replays the POST with its body:");
        var id = await client.CreateRecordAsync("Account", new { Name = "Acme Corporation" });
        await Flush();
        output.WriteLine($"   the app sees: 201 Created, id {id} (no exception, no retry code)");
        foreach (var request in org.ReceivedRequests.Where(r => r.Path.EndsWith("/sobjects/Account", StringComparison.Ordinal)))
        {
            output.WriteLine($"   the org saw:  {request.Method} {request.Path} -> {request.Status}, body {request.Body}");
        }

        output.WriteLine();
        output.WriteLine("5. The REST helpers: a query that follows nextRecordsUrl page by page, an update and a delete.");
        for (var i = 1; i <= 4500; i++)
        {
            org.AddRecord("Account", new Dictionary<string, object?> { ["Name"] = $"Customer {i:D4}", ["Rating"] = i % 3 == 0 ? "Hot" : "Warm" });
        }

        var soql = Soql.Format($"SELECT Id, Name FROM Account WHERE Rating = {"Warm"} OR Name = {"Acme Corporation"}");
        output.WriteLine($"   query: {soql}");
        var read = 0;
        await foreach (var _ in client.QueryAsync<DemoAccount>(soql))
        {
            read++;
        }

        var pages = org.ReceivedRequests.Count(r => r.Path.Contains("/query", StringComparison.Ordinal));
        output.WriteLine($"   read {read} accounts in {pages} pages of at most 2,000 (the org holds {org.Records("Account").Count})");
        await client.UpdateRecordAsync("Account", id, new { Name = "Acme Corporation (renamed)" });
        var renamed = await client.GetRecordAsync<DemoAccount>("Account", id, ["Name"]);
        output.WriteLine($"   updated {id}: Name is now \"{renamed.Name}\"");
        await client.DeleteRecordAsync("Account", id);
        try
        {
            await client.GetRecordAsync<DemoAccount>("Account", id);
        }
        catch (SalesforceApiException ex)
        {
            output.WriteLine($"   deleted {id}: reading it again throws SalesforceApiException {(int)ex.StatusCode} {ex.ErrorCode}");
        }

        var counters = org.Counters;
        output.WriteLine($"""

            6. What the org counted:
               token requests: {counters.TokenRequests}, logins by {integration.Username}: {counters.LoginsByUser.GetValueOrDefault(integration.Username)} (one at start, one per expiry)
               API calls: {counters.ApiCalls} ({string.Join(", ", counters.ApiCallsByStatus.OrderBy(p => p.Key).Select(p => $"{p.Value} x {p.Key}"))}); 401s served: {counters.UnauthorizedServed}, none seen by the app
               malformed Authorization headers: {counters.MalformedAuthorizationHeaders}
            """);
        return 0;
    }

    // Console logging writes on a background thread; give it a moment so lines come out in story order.
    private static Task Flush() => Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System);

    private static void PrintAssertion(TextWriter output, FakeSalesforceOrg org)
    {
        var tokenRequest = org.ReceivedRequests.Last(r => r.Path == "/services/oauth2/token");
        var assertion = tokenRequest.Body!.Split('&').Select(Uri.UnescapeDataString).First(p => p.StartsWith("assertion=", StringComparison.Ordinal))["assertion=".Length..];
        var parts = assertion.Split('.');
        output.WriteLine($"   assertion header: {Decode(parts[0])}");
        output.WriteLine($"   assertion claims: {Decode(parts[1])}   (signature not shown)");
    }

    private static string Decode(string part)
    {
        var padded = part.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        return Encoding.UTF8.GetString(Convert.FromBase64String(padded));
    }

    /// <summary>The fields of an Account the demo reads.</summary>
    private sealed class DemoAccount
    {
        public string? Id { get; set; }

        public string? Name { get; set; }
    }
}
