using SalesforceJwt.Sample;

namespace SalesforceJwt.Testing.Tests;

/// <summary>The README's first command: the sample's demo against the in-process fake org.</summary>
public sealed class SampleDemoTests
{
    [Fact]
    public async Task Demo_TellsTheStory_OneLoginPerExpiry_AndTheAppSeesNoFailure()
    {
        using var output = new StringWriter();

        var exitCode = await FakeOrgDemo.RunAsync(output);

        var text = output.ToString();
        Assert.Equal(0, exitCode);
        Assert.Contains("assertion claims: {", text, StringComparison.Ordinal);
        Assert.Contains("AccessToken = [redacted]", text, StringComparison.Ordinal);
        Assert.Contains("live sessions at the org: 0", text, StringComparison.Ordinal);
        Assert.Contains("the app sees: 201", text, StringComparison.Ordinal);
        Assert.Contains("read 3001 accounts in 2 pages", text, StringComparison.Ordinal);
        Assert.Contains("Name is now \"Acme Corporation (renamed)\"", text, StringComparison.Ordinal);
        Assert.Contains("throws SalesforceApiException 404 NOT_FOUND", text, StringComparison.Ordinal);
        Assert.Contains("logins by integration@example.com: 2", text, StringComparison.Ordinal);
        Assert.Contains("401s served: 1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("00DFK0000000001!", text, StringComparison.Ordinal);
    }
}
