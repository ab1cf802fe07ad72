namespace SalesforceJwt.Http.Internal;

/// <summary>Marks a named <see cref="HttpClient"/> as one that carries a Salesforce token.</summary>
internal sealed record SalesforceClientName(string Name);
