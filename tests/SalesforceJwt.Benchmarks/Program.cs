using System.Reflection;
using System.Runtime.Versioning;
using BenchmarkDotNet.Running;
using SalesforceJwt.Benchmarks;

// Which build of the library is measured: net10.0 by default, netstandard2.0 with SALESFORCEJWT_BENCH_LIBRARY=netstandard2.0.
Console.WriteLine("SalesforceJwt build measured: " +
    typeof(SalesforceJwt.SalesforceJwtDefaults).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName);
if (args is ["--paired", ..] && (args.Length == 1 || (args.Length == 2 && int.TryParse(args[1], out _))))
{
    // Targets 1 and 2 with the clients timed back to back per round (see PairedRun): a cross-check for drifting machines.
    await PairedRun.RunAsync(args.Length == 2 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : PairedRun.DefaultRounds);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
