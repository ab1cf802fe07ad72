namespace SalesforceJwt.Rest;

/// <summary>The result of an upsert by external id.</summary>
public sealed class SalesforceUpsertResult
{
    internal SalesforceUpsertResult(string? id, bool created)
    {
        Id = id;
        Created = created;
    }

    /// <summary>Gets the record's id; <see langword="null"/> when Salesforce updated the record and answered 204 without a body.</summary>
    public string? Id { get; }

    /// <summary>Gets a value indicating whether a new record was created (201) rather than an existing one updated (200 or 204).</summary>
    public bool Created { get; }
}
