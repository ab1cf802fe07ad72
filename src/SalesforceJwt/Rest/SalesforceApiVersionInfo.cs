namespace SalesforceJwt.Rest;

/// <summary>One REST API version the org offers, from <c>GET /services/data/</c>.</summary>
public sealed class SalesforceApiVersionInfo
{
    internal SalesforceApiVersionInfo(string version, string label, string url)
    {
        Version = version;
        Label = label;
        Url = url;
    }

    /// <summary>Gets the version, such as <c>62.0</c>: a value for <see cref="SalesforceJwtOptions.ApiVersion"/>.</summary>
    public string Version { get; }

    /// <summary>Gets the release's name, such as <c>Winter '25</c>.</summary>
    public string Label { get; }

    /// <summary>Gets the version's path, such as <c>/services/data/v62.0</c>.</summary>
    public string Url { get; }
}
