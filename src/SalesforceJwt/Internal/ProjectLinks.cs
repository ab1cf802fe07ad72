namespace SalesforceJwt.Internal;

/// <summary>Where the project's documentation lives; logs and reports link to it. Keep in step with RepositoryUrl in Directory.Build.props.</summary>
internal static class ProjectLinks
{
    public const string Repository = "https://github.com/SalesforceJwt/SalesforceJwt";

    public const string CertificateRotation = Repository + "#certificate-expiry-and-rotation";
}
