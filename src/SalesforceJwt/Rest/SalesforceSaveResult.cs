namespace SalesforceJwt.Rest;

/// <summary>The result for one record of an sObject Collections call, in request order.</summary>
public sealed class SalesforceSaveResult
{
    internal SalesforceSaveResult(string? id, bool success, IReadOnlyList<SalesforceApiError> errors)
    {
        Id = id;
        Success = success;
        Errors = errors;
    }

    /// <summary>Gets the record's id; <see langword="null"/> when a create failed.</summary>
    public string? Id { get; }

    /// <summary>Gets a value indicating whether the record was saved.</summary>
    public bool Success { get; }

    /// <summary>Gets why the record was not saved; empty on success.</summary>
    public IReadOnlyList<SalesforceApiError> Errors { get; }
}
