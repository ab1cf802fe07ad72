using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SalesforceJwt;

namespace SalesforceJwt.Sample;

/// <summary>Talks to the configured org: its API limits, and a one-row SOQL query.</summary>
internal static class RealOrg
{
    private const string ApiVersion = "v62.0";

    public static async Task<int> RunAsync(IServiceProvider services, TextWriter output)
    {
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient(SalesforceJwtDefaults.ClientName);
        try
        {
            using var limits = JsonDocument.Parse(await client.GetStringAsync($"services/data/{ApiVersion}/limits"));
            var daily = limits.RootElement.GetProperty("DailyApiRequests");
            output.WriteLine($"Daily API requests: {daily.GetProperty("Remaining")} of {daily.GetProperty("Max")} remaining");

            var soql = Uri.EscapeDataString("SELECT Id, Name FROM Organization");
            using var query = JsonDocument.Parse(await client.GetStringAsync($"services/data/{ApiVersion}/query?q={soql}"));
            foreach (var record in query.RootElement.GetProperty("records").EnumerateArray())
            {
                output.WriteLine($"Organization: {record.GetProperty("Name")} ({record.GetProperty("Id")})");
            }

            return 0;
        }
        catch (SalesforceJwtException ex)
        {
            output.WriteLine($"Salesforce refused: {ex.Message}");
            return 1;
        }
        catch (HttpRequestException ex)
        {
            output.WriteLine($"The API call failed: {ex.Message}");
            return 1;
        }
    }
}
