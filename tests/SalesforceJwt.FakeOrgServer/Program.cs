using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;

using System.Text.Json;
using SalesforceJwt.Testing;

// Usage: SalesforceJwt.FakeOrgServer DIRECTORY
// Starts a fake org on a loopback port the OS picks, writes DIRECTORY/server.key and DIRECTORY/appsettings.json (the
// "Salesforce" section a client needs), then DIRECTORY/ready, and runs until it is stopped (SIGTERM, SIGINT).
if (args.Length != 1)
{
    Console.Error.WriteLine("Usage: SalesforceJwt.FakeOrgServer DIRECTORY");
    return 64;
}

var directory = Directory.CreateDirectory(args[0]).FullName;
using var org = FakeSalesforceOrg.Start();
var integration = org.CreateIntegration("integration@example.com");

var keyPath = Path.Combine(directory, "server.key");
using (var key = integration.Certificate.GetRSAPrivateKey()!)
{
    File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
}

File.WriteAllText(Path.Combine(directory, "server.crt"), integration.Certificate.ExportCertificatePem());
var settings = new Dictionary<string, Dictionary<string, string>>
{
    ["Salesforce"] = new()
    {
        ["LoginUrl"] = org.Url.ToString(),
        ["ConsumerKey"] = integration.ConsumerKey,
        ["Username"] = integration.Username,
        ["PrivateKeyPath"] = keyPath,
    },
};
File.WriteAllText(Path.Combine(directory, "appsettings.json"), JsonSerializer.Serialize(settings, new JsonSerializerOptions { WriteIndented = true }));
File.WriteAllText(Path.Combine(directory, "ready"), org.Url.ToString());
Console.WriteLine($"Fake org on {org.Url}; settings in {directory}");

using var stop = new CancellationTokenSource();
using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Cancel(); });
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}

var counters = org.Counters;
Console.WriteLine($"Fake org stopping: {counters.TokenRequests} token requests, {counters.TokensIssued} tokens issued, {counters.ApiCalls} API calls");
return 0;
