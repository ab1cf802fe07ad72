using System.Security.Cryptography.X509Certificates;

namespace SalesforceJwt.Testing;

/// <summary>Everything a client needs to log in to a <see cref="FakeSalesforceOrg"/>: an app, a pre-authorized user and the key.</summary>
public sealed class FakeIntegration
{
    internal FakeIntegration(Uri loginUrl, FakeConnectedApp app, FakeUser user)
    {
        LoginUrl = loginUrl;
        App = app;
        User = user;
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
}
