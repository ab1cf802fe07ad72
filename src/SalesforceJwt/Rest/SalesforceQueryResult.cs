namespace SalesforceJwt.Rest;

/// <summary>One page of a SOQL query's answer: <c>totalSize</c>, <c>done</c>, <c>nextRecordsUrl</c> and the page's records.</summary>
/// <typeparam name="T">The record type.</typeparam>
public sealed class SalesforceQueryResult<T>
{
    internal SalesforceQueryResult(int totalSize, bool done, string? nextRecordsUrl, IReadOnlyList<T> records)
    {
        TotalSize = totalSize;
        Done = done;
        NextRecordsUrl = nextRecordsUrl;
        Records = records;
    }

    /// <summary>Gets the number of records the whole query matches (for <c>COUNT()</c>, the count), not only this page's.</summary>
    public int TotalSize { get; }

    /// <summary>Gets a value indicating whether this is the last page.</summary>
    public bool Done { get; }

    /// <summary>Gets the path of the next page, such as <c>/services/data/v62.0/query/01g…-2000</c>; <see langword="null"/> on the last page.</summary>
    public string? NextRecordsUrl { get; }

    /// <summary>Gets this page's records.</summary>
    public IReadOnlyList<T> Records { get; }
}
