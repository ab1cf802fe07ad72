using System.Security.Cryptography.X509Certificates;

namespace SalesforceJwt.Testing;

/// <summary>A connected app (or External Client App) registered in a <see cref="FakeSalesforceOrg"/>.</summary>
public sealed class FakeConnectedApp
{
    internal FakeConnectedApp(string consumerKey, X509Certificate2 certificate, bool isExternalClientApp, bool adminApprovedUsersOnly)
    {
        ConsumerKey = consumerKey;
        _certificate = certificate;
        IsExternalClientApp = isExternalClientApp;
        AdminApprovedUsersOnly = adminApprovedUsersOnly;
    }

    /// <summary>Gets the consumer key, the assertion's <c>iss</c>.</summary>
    public string ConsumerKey { get; }

    private X509Certificate2 _certificate;

    /// <summary>
    /// Gets or sets the certificate uploaded to the app; assertions must verify with its public key. Set it to rotate the
    /// key, as an admin uploads a new certificate: assertions signed with the old key are then <c>invalid assertion</c>.
    /// </summary>
    public X509Certificate2 Certificate
    {
        get => Volatile.Read(ref _certificate);
        set => Volatile.Write(ref _certificate, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>Gets a value indicating whether this is an External Client App, which rejects the login and test hosts as audience (<c>app_not_found</c>).</summary>
    public bool IsExternalClientApp { get; }

    /// <summary>
    /// Gets a value indicating whether the policy is "Admin approved users are pre-authorized": an unapproved user then
    /// gets <c>invalid_app_access</c> instead of <c>user hasn't approved this consumer</c>.
    /// </summary>
    public bool AdminApprovedUsersOnly { get; }
}
