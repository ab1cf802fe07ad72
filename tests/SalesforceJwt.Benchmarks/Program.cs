using System.Reflection;
using System.Runtime.Versioning;
using BenchmarkDotNet.Running;
using SalesforceJwt.Benchmarks;

// Which build of the library is measured: net10.0 by default, netstandard2.0 with SALESFORCEJWT_BENCH_LIBRARY=netstandard2.0,
// net8.0 with SALESFORCEJWT_BENCH_FRAMEWORK=net8.0 (docs/performance.md).
Console.WriteLine("SalesforceJwt build measured: " +
    typeof(SalesforceJwt.SalesforceJwtDefaults).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName);
var rounds = PairedRun.DefaultRounds;
if (args is ["--paired"] || (args is ["--paired", var count] && int.TryParse(count, out rounds) && rounds > 0))
{
    // Targets 1 and 2 with the clients timed back to back per round (see PairedRun): a cross-check for drifting machines.
    await PairedRun.RunAsync(rounds);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
