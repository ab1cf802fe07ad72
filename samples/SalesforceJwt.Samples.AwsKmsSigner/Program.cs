// Logs in to Salesforce with a key held in AWS KMS. Configuration (appsettings, environment or user secrets):
//   Salesforce:ConsumerKey, Salesforce:Username, Salesforce:LoginUrl, Salesforce:CertificatePath (optional check),
//   Kms:KeyId (key id, ARN or alias/...); AWS credentials and region come from the usual AWS SDK chain.
// `dotnet run -- certificate` writes salesforce-kms.crt to upload to the connected app.
using Amazon.KeyManagementService;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SalesforceJwt;
using SalesforceJwt.Samples.AwsKmsSigner;

var builder = Host.CreateApplicationBuilder(args);
var keyId = builder.Configuration["Kms:KeyId"];
if (string.IsNullOrEmpty(keyId))
{
    Console.Error.WriteLine("Set Kms:KeyId (and the Salesforce section) first; see the comment at the top of Program.cs.");
    return 2;
}

builder.Services.AddSingleton<IAmazonKeyManagementService>(_ => new AmazonKeyManagementServiceClient());
builder.Services.AddSingleton<KmsAssertionSigner>(sp => new KmsAssertionSigner(sp.GetRequiredService<IAmazonKeyManagementService>(), keyId));
builder.Services.AddSalesforceJwt(builder.Configuration.GetSection("Salesforce"));

// Signer is code only: set it after the configuration section has been read.
builder.Services.AddOptions<SalesforceJwtOptions>(SalesforceJwtDefaults.ClientName)
    .Configure<KmsAssertionSigner>((options, signer) => options.Signer = signer);

using var host = builder.Build();
if (args is ["certificate", ..])
{
    using var certificate = await KmsCertificate.CreateSelfSignedAsync(host.Services.GetRequiredService<IAmazonKeyManagementService>(), keyId, "CN=Salesforce JWT (AWS KMS)", TimeSpan.FromDays(730));
    await File.WriteAllTextAsync("salesforce-kms.crt", certificate.ExportCertificatePem());
    Console.WriteLine($"Wrote salesforce-kms.crt ({certificate.Thumbprint}); upload it to the connected app.");
    return 0;
}

var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient(SalesforceJwtDefaults.ClientName);
using var response = await client.GetAsync("services/data/v62.0/limits");
Console.WriteLine($"GET limits -> {(int)response.StatusCode}");
return response.IsSuccessStatusCode ? 0 : 1;
