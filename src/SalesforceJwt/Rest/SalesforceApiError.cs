namespace SalesforceJwt.Rest;

/// <summary>One entry of a Salesforce error array: <c>{"errorCode", "message", "fields"}</c> (<c>statusCode</c> in collection results).</summary>
public sealed class SalesforceApiError
{
    /// <summary>Initializes a new instance of the <see cref="SalesforceApiError"/> class.</summary>
    /// <param name="errorCode">The error code, such as <c>REQUIRED_FIELD_MISSING</c>.</param>
    /// <param name="message">Salesforce's message.</param>
    /// <param name="fields">The fields the error concerns; empty when none.</param>
    public SalesforceApiError(string errorCode, string message, IReadOnlyList<string>? fields = null)
    {
        ErrorCode = errorCode;
        Message = message;
        Fields = fields ?? [];
    }

    /// <summary>Gets the error code, such as <c>MALFORMED_QUERY</c>, <c>NOT_FOUND</c> or <c>DUPLICATE_VALUE</c>.</summary>
    public string ErrorCode { get; }

    /// <summary>Gets Salesforce's message.</summary>
    public string Message { get; }

    /// <summary>Gets the fields the error concerns; empty when none.</summary>
    public IReadOnlyList<string> Fields { get; }

    /// <inheritdoc />
    public override string ToString() => Fields.Count == 0 ? $"{ErrorCode}: {Message}" : $"{ErrorCode}: {Message} [{string.Join(", ", Fields)}]";
}
