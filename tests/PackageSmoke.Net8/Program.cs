// A .NET 8 user's app, built outside the solution against the packed packages (see .ci/package-smoke). It only has
// to compile: .ci/package-smoke then checks that every Microsoft.Extensions package it resolves is on the 8.0 line.
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using SalesforceJwt;
using SalesforceJwt.Diagnostics;

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddSalesforceJwt(builder.Configuration.GetSection(SalesforceJwtDefaults.ClientName));
builder.Services.AddHealthChecks().AddSalesforceJwt(tags: ["ready"]);
using var host = builder.Build();
var report = await SalesforceJwtDoctor.ProbeAsync(host.Services, SalesforceJwtDefaults.ClientName);
Console.WriteLine(report);
Console.WriteLine(await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync());
