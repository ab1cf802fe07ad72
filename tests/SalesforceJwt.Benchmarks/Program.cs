using System.Reflection;
using System.Runtime.Versioning;
using BenchmarkDotNet.Running;

// Which build of the library is measured: net10.0 by default, netstandard2.0 with SALESFORCEJWT_BENCH_LIBRARY=netstandard2.0.
Console.WriteLine("SalesforceJwt build measured: " +
    typeof(SalesforceJwt.SalesforceJwtDefaults).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
