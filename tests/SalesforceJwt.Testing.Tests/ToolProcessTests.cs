using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace SalesforceJwt.Testing.Tests;

/// <summary>The built <c>salesforce-jwt</c> tool run as a process of its own against a fake org in this process.</summary>
public sealed class ToolProcessTests : IDisposable
{
    private readonly FakeSalesforceOrg _org = FakeSalesforceOrg.Start();
    private readonly string _dir = Directory.CreateTempSubdirectory("sfjwt-tool-").FullName;
    private readonly string _settings;

    public ToolProcessTests()
    {
        var integration = _org.CreateIntegration();
        var keyPath = Path.Combine(_dir, "server.key");
        using (var key = integration.Certificate.GetRSAPrivateKey()!)
        {
            File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        }

        var certificatePath = Path.Combine(_dir, "server.crt");
        File.WriteAllText(certificatePath, integration.Certificate.ExportCertificatePem());
        _settings = Path.Combine(_dir, "appsettings.json");
        File.WriteAllText(_settings, JsonSerializer.Serialize(new
        {
            Salesforce = new { LoginUrl = _org.Url.ToString(), integration.ConsumerKey, integration.Username, PrivateKeyPath = keyPath, CertificatePath = certificatePath },
        }));
    }

    public void Dispose()
    {
        _org.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static string ToolPath()
    {
        // tests/SalesforceJwt.Testing.Tests/bin/{Configuration}/net10.0/ -> src/SalesforceJwt.Tool/bin/{Configuration}/net10.0/
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = here.Parent!.Name;
        var root = here.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(root, "src", "SalesforceJwt.Tool", "bin", configuration, "net10.0", "salesforce-jwt.dll");
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(IDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(ToolPath());
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output + await error);
    }

    [Fact]
    public async Task Doctor_AgainstAWorkingOrg_ExitsZero_AndJsonSaysPassed_WithOneLogin()
    {
        var (exitCode, output) = await RunAsync(null, "doctor", "--config", _settings, "--json");

        Assert.True(exitCode == 0, output);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("passed", json.RootElement.GetProperty("outcome").GetString());
        var checks = json.RootElement.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("outcome").GetString());
        Assert.Equal("passed", checks["certificate"]);
        Assert.Equal("passed", checks["certificate expiry"]);
        Assert.Equal("passed", checks["identity"]);
        Assert.Equal(1, _org.Counters.TokensIssued);
    }

    [Fact]
    public async Task Doctor_UsernameFromTheEnvironment_OverridesTheFile_AndFailsWithExitCodeOne()
    {
        var (exitCode, output) = await RunAsync(new Dictionary<string, string> { ["Salesforce__Username"] = "nobody@example.com" }, "doctor", "--config", _settings);

        Assert.Equal(1, exitCode);
        Assert.Contains("FAIL  login: UserNotApproved", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownOption_IsAUsageError()
    {
        var (exitCode, output) = await RunAsync(null, "doctor", "--verbose");

        Assert.Equal(64, exitCode);
        Assert.Contains("Unknown option '--verbose'", output, StringComparison.Ordinal);
    }
}
