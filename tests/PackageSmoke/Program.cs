// A user's app, built outside the solution against the packed SalesforceJwt and SalesforceJwt.Testing packages
// (see .ci/package-smoke). It uses documented configuration keys and public API only.
using System.Net.Http.Json;
using System.Reflection;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SalesforceJwt;
using SalesforceJwt.Testing;

var expectedVersion = args[0];
var failures = new List<string>();
void Check(bool condition, string what)
{
    Console.WriteLine($"{(condition ? "ok  " : "FAIL")} {what}");
    if (!condition)
    {
        failures.Add(what);
    }
}

foreach (var assembly in new[] { typeof(SalesforceJwtOptions).Assembly, typeof(FakeSalesforceOrg).Assembly })
{
    var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "(none)";
    Check(version.StartsWith(expectedVersion, StringComparison.Ordinal), $"{assembly.GetName().Name} is the packed {version}");
}

using var org = FakeSalesforceOrg.Start();
var integration = org.CreateIntegration("smoke@example.com");
var keyPath = Path.Combine(Path.GetTempPath(), $"smoke-{Guid.NewGuid():N}.key");
using (var key = integration.Certificate.GetRSAPrivateKey()!)
{
    File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
}

try
{
    var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Salesforce:ConsumerKey"] = integration.ConsumerKey,
        ["Salesforce:Username"] = integration.Username,
        ["Salesforce:LoginUrl"] = org.Url.ToString(),
        ["Salesforce:PrivateKeyPath"] = keyPath,
    }).Build();

    var services = new ServiceCollection();
    services.AddSalesforceJwt(configuration.GetSection("Salesforce"));
    using var provider = services.BuildServiceProvider();
    var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient(SalesforceJwtDefaults.ClientName);

    using (var limits = await client.GetAsync("services/data/v62.0/limits"))
    {
        Check(limits.IsSuccessStatusCode, $"GET limits -> {(int)limits.StatusCode}");
    }

    org.ExpireAllSessions();
    using (var created = await client.PostAsJsonAsync("services/data/v62.0/sobjects/Account", new { Name = "Smoke" }))
    {
        Check((int)created.StatusCode == 201, $"POST Account after the session ended -> {(int)created.StatusCode}");
    }

    Check(org.Counters.LoginsByUser["smoke@example.com"] == 2, $"logins: {org.Counters.LoginsByUser["smoke@example.com"]} (one at start, one after expiry)");
    Check(org.Records("Account").Count == 1, "the replayed POST created exactly one Account");
    Check(org.Counters.MalformedAuthorizationHeaders == 0, "every Authorization header was well formed");
}
finally
{
    File.Delete(keyPath);
}

Console.WriteLine(failures.Count == 0 ? "package smoke test: passed" : $"package smoke test: {failures.Count} failed");
return failures.Count == 0 ? 0 : 1;
