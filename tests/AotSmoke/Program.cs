// A user's app published with Native AOT (see .ci/aot-smoke) against the packed SalesforceJwt package: options come
// from environment variables (Salesforce__ConsumerKey, ...), the fake org runs in another process (tests/AotSmoke.Host).
// Exit code 0 when every check passed.
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SalesforceJwt;
using SalesforceJwt.Tokens;

var failures = 0;
void Check(bool condition, string what)
{
    Console.WriteLine($"{(condition ? "ok  " : "FAIL")} {what}");
    failures += condition ? 0 : 1;
}

var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
var section = configuration.GetSection("Salesforce");
using var vaultKey = RSA.Create();
vaultKey.ImportFromPem(File.ReadAllText(section["PrivateKeyPath"]!));

var services = new ServiceCollection();
services.AddSalesforceJwt(section);
services.AddSalesforceJwt("remote-signer", options =>
{
    options.ConsumerKey = section["ConsumerKey"];
    options.Username = section["Username"];
    options.LoginUrl = new Uri(section["LoginUrl"]!);
    options.CertificatePath = section["CertificatePath"];
    options.Signer = new InProcessSigner(vaultKey);
});
using var provider = services.BuildServiceProvider();
var factory = provider.GetRequiredService<IHttpClientFactory>();
var client = factory.CreateClient(SalesforceJwtDefaults.ClientName);

using (var limits = await client.GetAsync("services/data/v62.0/limits"))
{
    Check(limits.StatusCode == HttpStatusCode.OK, $"GET limits with options from configuration -> {(int)limits.StatusCode}");
}

var tokens = provider.GetRequiredService<ISalesforceTokenProvider>();
var token = await tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName);
Check(token.OrganizationId == "00DFK0000000001EAA", $"the token response was read: org {token.OrganizationId}, instance {token.InstanceUrl.Host}");

// Ask the host to end every session, then wait (bounded) until it says so by deleting the trigger.
var trigger = Environment.GetEnvironmentVariable("AOT_SMOKE_EXPIRE_TRIGGER")!;
var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
using (var watcher = new FileSystemWatcher(Path.GetDirectoryName(trigger)!, Path.GetFileName(trigger)))
{
    watcher.Deleted += (_, _) => ended.TrySetResult();
    watcher.EnableRaisingEvents = true;
    File.WriteAllText(trigger, "expire");
    try
    {
        await ended.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }
    catch (TimeoutException)
    {
        // Reported by the check below.
    }
}

Check(!File.Exists(trigger), "the fake org ended every session");
using (var body = new StringContent("""{"Name":"AOT smoke"}""", Encoding.UTF8, "application/json"))
using (var created = await client.PostAsync("services/data/v62.0/sobjects/Account", body))
{
    Check(created.StatusCode == HttpStatusCode.Created, $"POST Account after the session ended, re-authenticated and replayed -> {(int)created.StatusCode}");
}

var renewed = await tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName);
Check(renewed.AccessToken != token.AccessToken, "a new token replaced the ended one");

try
{
    await tokens.GetTokenAsync(SalesforceJwtDefaults.ClientName, new SalesforceTokenRequest { Username = "nobody@example.com" });
    Check(false, "an unknown user is refused");
}
catch (SalesforceAuthenticationException ex)
{
    Check(ex.Code != SalesforceErrorCode.Unknown, $"an unknown user is refused with a typed error: {ex.Code} ({ex.Error})");
}

using (var limits = await factory.CreateClient("remote-signer").GetAsync("services/data/v62.0/limits"))
{
    Check(limits.StatusCode == HttpStatusCode.OK, $"GET limits signed by an ISalesforceAssertionSigner -> {(int)limits.StatusCode}");
}

Console.WriteLine(failures == 0 ? "aot smoke test: passed" : $"aot smoke test: {failures} failed");
return failures == 0 ? 0 : 1;

/// <summary>Stands in for a vault: the key is held here, never given to SalesforceJwt.</summary>
internal sealed class InProcessSigner(RSA key) : ISalesforceAssertionSigner
{
    public ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> signingInput, CancellationToken cancellationToken) =>
        ValueTask.FromResult(key.SignData(signingInput.Span.ToArray(), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
}
