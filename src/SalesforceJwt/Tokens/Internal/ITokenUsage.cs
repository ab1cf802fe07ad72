namespace SalesforceJwt.Tokens.Internal;

/// <summary>How the handler tells the library's own token provider what Salesforce said of a token it handed out.</summary>
internal interface ITokenUsage
{
    /// <summary>Notes a request Salesforce accepted with the token, sent at <paramref name="sentAt"/>.</summary>
    void RecordUse(SalesforceToken token, DateTimeOffset sentAt);

    /// <summary>Whether Salesforce has accepted the token at least once.</summary>
    bool HasBeenAccepted(SalesforceToken token);
}
