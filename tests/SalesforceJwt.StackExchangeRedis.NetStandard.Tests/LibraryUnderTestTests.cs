using System.Reflection;
using System.Runtime.Versioning;

namespace SalesforceJwt.StackExchangeRedis.Tests;

public sealed class LibraryUnderTestTests
{
    [Fact]
    public void TheRedisPackageUnderTest_IsTheNetStandard20Build()
    {
        Assert.Equal(".NETStandard,Version=v2.0", FrameworkOf(typeof(SalesforceJwtRedisOptions).Assembly));
    }

    [Fact]
    public void TheLibraryUnderTest_IsTheNetStandard20Build()
    {
        Assert.Equal(".NETStandard,Version=v2.0", FrameworkOf(typeof(SalesforceJwtOptions).Assembly));
    }

    private static string? FrameworkOf(Assembly assembly) => assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName;
}
