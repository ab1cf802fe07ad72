namespace SalesforceJwt.Rest.Internal;

/// <summary>
/// Checks of the names and ids that helpers put into a URI path, so that input can never change which resource is
/// addressed: only plain API names and 15- or 18-character ids pass, and everything else is escaped.
/// </summary>
internal static class ApiNames
{
    private const int MaxApiNameLength = 255;

    public static bool IsApiVersion(string? version) =>
        version is { Length: 4 or 5 } v
        && v.EndsWith(".0", StringComparison.Ordinal)
        && v.Take(v.Length - 2).All(IsDigit);

    public static bool IsRecordId(string? id) => id is { Length: 15 or 18 } && id.All(IsAsciiLetterOrDigit);

    /// <summary>An object or field API name: a letter, then letters, digits and underscores (<c>Account</c>, <c>ns__Field__c</c>).</summary>
    public static bool IsApiName(string? name) =>
        name is { Length: > 0 and <= MaxApiNameLength }
        && IsAsciiLetter(name[0])
        && name.All(c => IsAsciiLetterOrDigit(c) || c == '_');

    public static string RequireId(string? id, string parameterName)
    {
        if (!IsRecordId(id))
        {
            throw new ArgumentException(
                $"'{Show(id)}' is not a Salesforce record id: an id is 15 or 18 letters and digits, such as 001xx000003DGb2AAG.", parameterName);
        }

        return id!;
    }

    public static string RequireName(string? name, string parameterName, string what = "sObject")
    {
        if (!IsApiName(name))
        {
            throw new ArgumentException(
                $"'{Show(name)}' is not a valid {what} API name: it must start with a letter and hold only letters, digits and underscores (for example Account or Invoice__c).",
                parameterName);
        }

        return name!;
    }

    /// <summary>An external id value as one escaped path segment; <c>.</c> and <c>..</c> would be removed by URI normalisation, so they are refused.</summary>
    public static string RequireExternalIdValue(string? value, string parameterName)
    {
        if (string.IsNullOrEmpty(value) || value == "." || value == "..")
        {
            throw new ArgumentException($"'{Show(value)}' cannot be used as an external id value: it is empty or a dot segment.", parameterName);
        }

        return Uri.EscapeDataString(value);
    }

    public static string RequireApiVersion(string? version)
    {
        if (!IsApiVersion(version))
        {
            throw new ArgumentException(
                $"'{Show(version)}' is not a Salesforce REST API version: use the form {SalesforceJwtDefaults.ApiVersion}, without a leading 'v'.", nameof(version));
        }

        return version!;
    }

    private static string Show(string? value) => value is null ? "(null)" : value.Length > 40 ? value.Remove(40) + "…" : value;

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private static bool IsAsciiLetter(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z');

    private static bool IsAsciiLetterOrDigit(char c) => IsAsciiLetter(c) || IsDigit(c);
}
