using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using SalesforceJwt.Sample;

namespace SalesforceJwt.Testing.Tests;

/// <summary>The doctor (<see cref="SalesforceJwt.Diagnostics.SalesforceJwtDoctor"/>, through the sample's <c>doctor</c> command) against the fake org, one misconfiguration at a time.</summary>
public sealed class DoctorTests : IDisposable
{
    private readonly FakeSalesforceOrg _org = FakeSalesforceOrg.Start();
    private readonly FakeIntegration _integration;
    private readonly string _dir = Directory.CreateTempSubdirectory("sfjwt-doctor-").FullName;
    private readonly string _keyPath;
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public DoctorTests()
    {
        _integration = _org.CreateIntegration();
        using var key = _integration.Certificate.GetRSAPrivateKey()!;
        _keyPath = Path.Combine(_dir, "server.key");
        File.WriteAllText(_keyPath, key.ExportPkcs8PrivateKeyPem());
    }

    public void Dispose()
    {
        _org.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["ConsumerKey"] = _integration.ConsumerKey,
        ["Username"] = _integration.Username,
        ["LoginUrl"] = _org.Url.ToString(),
        ["PrivateKeyPath"] = _keyPath,
    };

    private async Task<(int ExitCode, string Output)> RunAsync(Action<Dictionary<string, string?>>? change = null, TimeProvider? clock = null)
    {
        var settings = Settings();
        change?.Invoke(settings);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var output = new StringWriter();
        var exitCode = await Doctor.RunAsync(configuration, output, clock, _ct);
        return (exitCode, output.ToString());
    }

    [Fact]
    public async Task HealthyConfiguration_PassesEveryCheck_WithOneLogin()
    {
        var (exitCode, output) = await RunAsync();

        Assert.Equal(0, exitCode);
        Assert.Contains("ok    options", output, StringComparison.Ordinal);
        Assert.Contains("ok    key: RSA 2048-bit key from PrivateKeyPath", output, StringComparison.Ordinal);
        Assert.Contains("skip  certificate: no certificate is configured", output, StringComparison.Ordinal);
        Assert.Contains($"ok    audience: aud {_org.Url.GetLeftPart(UriPartial.Authority)}", output, StringComparison.Ordinal);
        Assert.Contains("ok    token endpoint:", output, StringComparison.Ordinal);
        Assert.Contains("(no login)", output, StringComparison.Ordinal);
        Assert.Contains("ok    clock", output, StringComparison.Ordinal);
        Assert.Contains($"ok    login: instance {_org.Url.GetLeftPart(UriPartial.Authority)}, org {FakeSalesforceOrg.OrganizationId}", output, StringComparison.Ordinal);
        Assert.Contains("ok    API call: GET services/data/v62.0/limits -> 200", output, StringComparison.Ordinal);
        Assert.Contains($"ok    identity: the token acts as {_integration.Username}", output, StringComparison.Ordinal);
        Assert.DoesNotContain("FAIL", output, StringComparison.Ordinal);
        Assert.Equal(1, _org.Counters.LoginsByUser[_integration.Username]);
        Assert.Equal(1, _org.Counters.TokensIssued);
    }

    [Fact]
    public async Task UnapprovedUser_FailsWithTheApprovalFix()
    {
        _integration.User.Unapprove(_integration.App);
        var (exitCode, output) = await RunAsync();

        Assert.Equal(1, exitCode);
        Assert.Contains("FAIL  login: UserNotApproved", output, StringComparison.Ordinal);
        Assert.Contains("user hasn't approved this consumer", output, StringComparison.Ordinal);
        Assert.Contains("Admin approved users are pre-authorized", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongAudience_FailsWithTheAudienceFix()
    {
        var (exitCode, output) = await RunAsync(s => s["Audience"] = "https://test.salesforce.com");

        Assert.Equal(1, exitCode);
        Assert.Contains("FAIL  login: InvalidAudience", output, StringComparison.Ordinal);
        Assert.Contains("https://test.salesforce.com for sandboxes", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyThatDoesNotMatchTheUploadedCertificate_FailsAsInvalidAssertion()
    {
        using var other = RSA.Create(2048);
        var otherKey = Path.Combine(_dir, "other.key");
        await File.WriteAllTextAsync(otherKey, other.ExportPkcs8PrivateKeyPem(), _ct);

        var (exitCode, output) = await RunAsync(s => s["PrivateKeyPath"] = otherKey);

        Assert.Equal(1, exitCode);
        Assert.Contains("FAIL  login: InvalidAssertion", output, StringComparison.Ordinal);
        Assert.Contains("does not match the certificate uploaded", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyThatDoesNotMatchTheGivenCertificatePath_FailsAtConfiguration_WithoutALogin()
    {
        using var other = TestCertificate.Create();
        var certPath = Path.Combine(_dir, "other.crt");
        await File.WriteAllTextAsync(certPath, other.ExportCertificatePem(), _ct);

        var (exitCode, output) = await RunAsync(s => s["CertificatePath"] = certPath);

        Assert.Equal(1, exitCode);
        Assert.Contains("FAIL  certificate: The private key does not match", output, StringComparison.Ordinal);
        Assert.Contains("skip  login", output, StringComparison.Ordinal);
        Assert.Equal(0, _org.Counters.TokenRequests);
    }

    [Fact]
    public async Task UnknownConsumerKey_FailsWithTheConsumerKeyFix()
    {
        var (exitCode, output) = await RunAsync(s => s["ConsumerKey"] = "3MVG9-not-registered");

        Assert.Equal(1, exitCode);
        Assert.Contains("FAIL  login: InvalidClientId", output, StringComparison.Ordinal);
        Assert.Contains("2 to 10 minutes", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InactiveUser_FailsWithTheReactivationFix()
    {
        _integration.User.IsActive = false;
        var (exitCode, output) = await RunAsync();

        Assert.Equal(1, exitCode);
        Assert.Contains("FAIL  login: InactiveUser", output, StringComparison.Ordinal);
        Assert.Contains("Reactivate it", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClockTenMinutesBehind_FailsTheClockCheck_AndExplainsTheExpiredAssertion()
    {
        var skewed = new FakeTimeProvider(TimeProvider.System.GetUtcNow().AddMinutes(-10));

        var (exitCode, output) = await RunAsync(clock: skewed);

        Assert.Equal(1, exitCode);
        // The Date header has whole seconds, and a second or two pass during the test.
        var skew = System.Text.RegularExpressions.Regex.Match(output, @"FAIL  clock: this machine's clock is (\d+) s behind the login host's");
        Assert.True(skew.Success, output);
        Assert.InRange(int.Parse(skew.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 595, 620);
        Assert.Contains("FAIL  login: AssertionExpired", output, StringComparison.Ordinal);
        Assert.Contains("that alone explains the expired assertion", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlainHttpLoginUrl_FailsAtConfiguration_NamingTheOption()
    {
        var (exitCode, output) = await RunAsync(s => s["LoginUrl"] = "http://login.salesforce.com");

        Assert.Equal(1, exitCode);
        Assert.Contains("FAIL  options", output, StringComparison.Ordinal);
        Assert.Contains("LoginUrl 'http://login.salesforce.com/' must use https", output, StringComparison.Ordinal);
        Assert.Contains("skip  token endpoint", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestApiRefusingTheSession_FailsTheApiCall_WithTheHighAssuranceHint()
    {
        _org.RestApiRefusesSessions = true;
        var (exitCode, output) = await RunAsync();

        Assert.Equal(1, exitCode);
        Assert.Contains("ok    login", output, StringComparison.Ordinal);
        Assert.Contains("FAIL  API call: GET services/data/v62.0/limits -> 401", output, StringComparison.Ordinal);
        Assert.Contains("High Assurance", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CertificateInAPfxExpiringWithinTheWindow_Warns_WithTheRotationLink_AndExitCode2()
    {
        using var certificate = TestCertificate.Create(validFor: TimeSpan.FromDays(10));
        var app = _org.AddConnectedApp("3MVG9-expiring", certificate);
        _integration.User.Approve(app);
        var pfx = Path.Combine(_dir, "expiring.pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pkcs12, "pfx-password"), _ct);

        var (exitCode, output) = await RunAsync(s =>
        {
            s["ConsumerKey"] = "3MVG9-expiring";
            s["PrivateKeyPath"] = pfx;
            s["PrivateKeyPassword"] = "pfx-password";
        });

        Assert.Equal(2, exitCode);
        Assert.Contains("ok    certificate: CN=SalesforceJwt test", output, StringComparison.Ordinal);
        Assert.Matches(@"warn  certificate expiry: the certificate expires on \d{4}-\d{2}-\d{2}, in (9|10) days", output);
        Assert.Contains("#certificate-expiry-and-rotation", output, StringComparison.Ordinal);
        Assert.Contains("ok    login", output, StringComparison.Ordinal);
        Assert.DoesNotContain("pfx-password", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_NeverContainsTheAccessToken()
    {
        var (exitCode, output) = await RunAsync();

        Assert.Equal(0, exitCode);
        var session = Assert.Single(_org.LiveSessions());
        Assert.DoesNotContain(session, output, StringComparison.Ordinal);
        Assert.DoesNotContain(session.Split('!')[^1], output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableLoginHost_FailsTheTokenEndpointCheck_AndSkipsTheLogin()
    {
        // Bound but never listening: connections are refused, and no other test's server can take the port meanwhile.
        using var reserved = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        reserved.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var url = $"http://127.0.0.1:{((System.Net.IPEndPoint)reserved.LocalEndPoint!).Port}";

        var (exitCode, output) = await RunAsync(s => s["LoginUrl"] = url);

        Assert.Equal(1, exitCode);
        Assert.Contains("FAIL  token endpoint:", output, StringComparison.Ordinal);
        Assert.Contains("could not be reached", output, StringComparison.Ordinal);
        Assert.Contains("skip  login", output, StringComparison.Ordinal);
    }
}
