namespace SalesforceJwt.Testing.Internal;

/// <summary>One REST data API call as the fake routes it: from HTTP, or a composite subrequest.</summary>
/// <param name="Method">The HTTP method, upper case.</param>
/// <param name="Version">The version segment, such as <c>v62.0</c>.</param>
/// <param name="Segments">The decoded path segments after the version.</param>
/// <param name="Query">The raw query string, if any.</param>
/// <param name="Body">The body, if any.</param>
/// <param name="ContentType">The body's content type.</param>
/// <param name="QueryOptions">The <c>Sforce-Query-Options</c> header.</param>
internal sealed record RestInput(string Method, string Version, string[] Segments, string? Query, string? Body, string? ContentType, string? QueryOptions)
{
    /// <summary>The API version as a number, such as 62.0.</summary>
    public decimal VersionNumber => decimal.TryParse(Version.TrimStart('v'), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : 0m;
}
