namespace SalesforceJwt.Testing.Internal.Soql;

/// <summary>A query the fake cannot run, answered with Salesforce's error code (<c>MALFORMED_QUERY</c>, <c>INVALID_FIELD</c>, ...).</summary>
internal sealed class SoqlException(string errorCode, string message) : Exception(message)
{
    public string ErrorCode { get; } = errorCode;

    public static SoqlException Malformed(string message) => new("MALFORMED_QUERY", message);
}
