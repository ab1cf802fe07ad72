using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SalesforceJwt.Testing;

/// <summary>Everything a client needs to log in to a <see cref="FakeSalesforceOrg"/>: an app, a pre-authorized user and the key.</summary>
public sealed class FakeIntegration
{
    private readonly Action<string> _ownFile;
    private readonly object _lock = new();
    private string? _privateKeyPath;

    internal FakeIntegration(Uri loginUrl, FakeConnectedApp app, FakeUser user, Action<string> ownFile)
    {
        LoginUrl = loginUrl;
        App = app;
        User = user;
        _ownFile = ownFile;
    }

    /// <summary>Gets the org's URL, to use as <see cref="SalesforceJwtOptions.LoginUrl"/>.</summary>
    public Uri LoginUrl { get; }

    /// <summary>Gets the app.</summary>
    public FakeConnectedApp App { get; }

    /// <summary>Gets the user.</summary>
    public FakeUser User { get; }

    /// <summary>Gets the consumer key.</summary>
    public string ConsumerKey => App.ConsumerKey;

    /// <summary>Gets the username.</summary>
    public string Username => User.Username;

    /// <summary>Gets the certificate with its private key.</summary>
    public X509Certificate2 Certificate => App.Certificate;

    /// <summary>Sets the connection options to log in as this integration: consumer key, username, login URL and certificate.</summary>
    /// <param name="options">The options to set.</param>
    public void Configure(SalesforceJwtOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ConsumerKey = ConsumerKey;
        options.Username = Username;
        options.LoginUrl = LoginUrl;
        options.Certificate = Certificate;
    }

    /// <summary>
    /// Gets this integration's settings as configuration keys under a section, for
    /// <c>AddInMemoryCollection</c>: the app is then configured exactly as in production, from configuration, with the
    /// key in a PEM file (<c>PrivateKeyPath</c>, deleted when the org is disposed). The other key sources are set empty,
    /// so that keys named in <c>appsettings.json</c> do not add a second signing key.
    /// </summary>
    /// <param name="sectionName">The configuration section the app binds, such as <c>Salesforce</c>.</param>
    /// <returns>The keys and values, such as <c>Salesforce:ConsumerKey</c>.</returns>
    public IReadOnlyDictionary<string, string?> ToConfiguration(string sectionName = "Salesforce")
    {
        ArgumentNullException.ThrowIfNull(sectionName);
        var prefix = sectionName.Length == 0 ? string.Empty : sectionName + ":";
        return new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            [prefix + nameof(SalesforceJwtOptions.ConsumerKey)] = ConsumerKey,
            [prefix + nameof(SalesforceJwtOptions.Username)] = Username,
            [prefix + nameof(SalesforceJwtOptions.LoginUrl)] = LoginUrl.ToString(),
            [prefix + nameof(SalesforceJwtOptions.PrivateKeyPath)] = PrivateKeyPath(),
            [prefix + nameof(SalesforceJwtOptions.PrivateKeyPassword)] = string.Empty,
            [prefix + nameof(SalesforceJwtOptions.CertificateThumbprint)] = string.Empty,
            [prefix + nameof(SalesforceJwtOptions.CertificatePath)] = string.Empty,
        };
    }

    private string PrivateKeyPath()
    {
        lock (_lock)
        {
            if (_privateKeyPath is null)
            {
                using var key = Certificate.GetRSAPrivateKey()!;
                var path = Path.Combine(Path.GetTempPath(), $"salesforcejwt-fake-{Convert.ToHexString(RandomNumberGenerator.GetBytes(8))}.pem");
                File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem());
                _ownFile(path);
                _privateKeyPath = path;
            }

            return _privateKeyPath;
        }
    }
}
