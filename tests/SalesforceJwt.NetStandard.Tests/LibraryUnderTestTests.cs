using System.Reflection;
using System.Runtime.Versioning;

namespace SalesforceJwt.Tests;

public sealed class LibraryUnderTestTests
{
    [Fact]
    public void TheLibraryUnderTest_IsTheNetStandard20Build()
    {
        var framework = typeof(SalesforceJwtOptions).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName;

        Assert.Equal(".NETStandard,Version=v2.0", framework);
    }
}
