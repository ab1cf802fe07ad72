using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SalesforceJwt.Sample;

// Configuration comes from environment variables (Salesforce__ConsumerKey, …), user secrets and command-line
// arguments (--Salesforce:ConsumerKey=…), under the section "Salesforce".
var doctor = args.Length > 0 && args[0] == "doctor";
var builder = Host.CreateApplicationBuilder(doctor ? args[1..] : args);
builder.Configuration.AddUserSecrets<Program>(optional: true);
builder.Logging.SetMinimumLevel(LogLevel.Warning);

if (args.Contains("--help-setup"))
{
    SetupHelp.Print(Console.Out);
    return 0;
}

var section = builder.Configuration.GetSection("Salesforce");
if (doctor)
{
    return await Doctor.RunAsync(section, Console.Out);
}

if (string.IsNullOrWhiteSpace(section["ConsumerKey"]))
{
    return await FakeOrgDemo.RunAsync(Console.Out);
}

builder.Services.AddSalesforceJwt(section);
using var host = builder.Build();
return await RealOrg.RunAsync(host.Services, Console.Out);
