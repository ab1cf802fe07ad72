namespace SalesforceJwt.Tokens.Internal;

/// <summary>Marks a registered connection, so that a misspelt name can be told from a misconfigured one.</summary>
internal sealed record SalesforceConnectionName(string Name);
