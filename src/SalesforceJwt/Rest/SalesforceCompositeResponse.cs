namespace SalesforceJwt.Rest;

/// <summary>The answer to a <see cref="SalesforceCompositeRequest"/>: one result per subrequest, in order.</summary>
public sealed class SalesforceCompositeResponse
{
    internal SalesforceCompositeResponse(IReadOnlyList<SalesforceCompositeSubresponse> results) => Results = results;

    /// <summary>Gets the results, in subrequest order.</summary>
    public IReadOnlyList<SalesforceCompositeSubresponse> Results { get; }

    /// <summary>Gets a value indicating whether every subrequest succeeded.</summary>
    public bool AllSucceeded => Results.All(r => r.IsSuccess);

    /// <summary>Gets the result of the subrequest with a reference id.</summary>
    /// <param name="referenceId">The subrequest's reference id.</param>
    /// <returns>Its result.</returns>
    /// <exception cref="KeyNotFoundException">No subrequest has that reference id.</exception>
    public SalesforceCompositeSubresponse this[string referenceId] =>
        Results.FirstOrDefault(r => string.Equals(r.ReferenceId, referenceId, StringComparison.Ordinal))
        ?? throw new KeyNotFoundException($"The composite response has no result with reference id '{referenceId}'.");
}
