// Starts a fake org on a loopback port chosen by the OS for .ci/aot-smoke and writes what a client needs to log in, as
// KEY=VALUE lines in the file named by the first argument (written whole, then renamed, so it is never read half-done).
// While it runs, a file named by the second argument, when it appears, ends every session and is deleted: the AOT app
// uses it to make the next API call meet an expired session, and watches for the deletion. Stops on SIGTERM, or by
// itself after ten minutes.
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SalesforceJwt.Testing;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: AotSmoke.Host <settings-file> <expire-trigger-file>");
    return 2;
}

var (settingsFile, expireTrigger) = (args[0], args[1]);
using var org = FakeSalesforceOrg.Start();
var integration = org.CreateIntegration("aot-smoke@example.com");
var directory = Path.GetDirectoryName(Path.GetFullPath(settingsFile))!;
var keyPath = Path.Combine(directory, "app.key");
var certificatePath = Path.Combine(directory, "app.crt");
using (var key = integration.Certificate.GetRSAPrivateKey()!)
{
    File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
}

File.WriteAllText(certificatePath, integration.Certificate.ExportCertificatePem());
File.WriteAllLines(settingsFile + ".tmp",
[
    $"Salesforce__LoginUrl={org.Url}",
    $"Salesforce__ConsumerKey={integration.ConsumerKey}",
    $"Salesforce__Username={integration.Username}",
    $"Salesforce__PrivateKeyPath={keyPath}",
    $"Salesforce__CertificatePath={certificatePath}",
    $"AOT_SMOKE_EXPIRE_TRIGGER={expireTrigger}",
]);
// Watching before the settings exist: the AOT app learns the trigger's name from them, so it cannot be missed.
var requests = new SemaphoreSlim(0);
using var watcher = new FileSystemWatcher(Path.GetDirectoryName(Path.GetFullPath(expireTrigger))!, Path.GetFileName(expireTrigger));
watcher.Created += (_, _) => requests.Release();
watcher.EnableRaisingEvents = true;
File.Move(settingsFile + ".tmp", settingsFile);
Console.WriteLine($"fake org at {org.Url} (pid {Environment.ProcessId})");

using var lifetime = new CancellationTokenSource(TimeSpan.FromMinutes(10));
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    lifetime.Cancel();
});

try
{
    while (true)
    {
        await requests.WaitAsync(lifetime.Token);
        if (File.Exists(expireTrigger))
        {
            org.ExpireAllSessions();
            File.Delete(expireTrigger);
            Console.WriteLine("ended every session");
        }
    }
}
catch (OperationCanceledException)
{
    // SIGTERM, or ten minutes.
}

var counters = org.Counters;
Console.WriteLine($"fake org stops: {counters.TokensIssued} tokens issued, {counters.ApiCalls} API calls, {counters.UnauthorizedServed} 401s served");
return 0;
