using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using SalesforceJwt.Internal;
using SalesforceJwt.Rest.Internal;

namespace SalesforceJwt.Rest;

// Each helper comes as a JsonTypeInfo<T> overload (trimming- and AOT-safe) and a JsonSerializerOptions overload
// (reflection), both with an optional trailing CancellationToken, as System.Net.Http.Json's are.
#pragma warning disable RS0026

/// <summary>
/// Thin helpers for Salesforce's REST data API over an <see cref="HttpClient"/> from <c>AddSalesforceJwt()</c>: SOQL
/// queries that follow <c>nextRecordsUrl</c>, records, sObject Collections, composite and the version list. They build
/// relative URIs under the connection's <see cref="SalesforceJwtOptions.ApiVersion"/> with every name and id checked and
/// escaped, and throw <see cref="SalesforceApiException"/> for Salesforce's error arrays. Session renewal stays in the handler.
/// </summary>
/// <remarks>
/// Overloads taking a <see cref="JsonTypeInfo{T}"/> are trimming- and AOT-safe; those taking <see cref="JsonSerializerOptions"/>
/// use reflection. Without options, property names match case-insensitively, <see langword="null"/> properties are not
/// sent, and Salesforce's datetimes (<c>2024-01-02T10:00:00.000+0000</c>) are read.
/// </remarks>
public static partial class SalesforceRestExtensions
{
    /// <summary>
    /// Runs a SOQL query and yields every matching record, reading the next page (<c>nextRecordsUrl</c>) only when the
    /// records of the one before have been consumed.
    /// </summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="client">A Salesforce client.</param>
    /// <param name="soql">The query; build it with <see cref="Soql.Format"/> when it holds input.</param>
    /// <param name="typeInfo">How to read a record.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The records.</returns>
    public static IAsyncEnumerable<T> QueryAsync<T>(this HttpClient client, string soql, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default) =>
        Enumerate(client, QueryUri(client, "query", soql), typeInfo, cancellationToken);

    /// <summary>Runs a SOQL query and yields every matching record, reading each next page lazily.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="client">A Salesforce client.</param>
    /// <param name="soql">The query; build it with <see cref="Soql.Format"/> when it holds input.</param>
    /// <param name="options">Serializer options; <see langword="null"/> for the helpers' defaults.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The records.</returns>
    [RequiresUnreferencedCode(ReflectionJson.Message)]
    [RequiresDynamicCode(ReflectionJson.Message)]
    public static IAsyncEnumerable<T> QueryAsync<T>(this HttpClient client, string soql, JsonSerializerOptions? options = null, CancellationToken cancellationToken = default) =>
        client.QueryAsync(soql, ReflectionJson.TypeInfo<T>(options), cancellationToken);

    /// <summary>Like <c>QueryAsync</c>, through <c>queryAll</c>: deleted and archived records are included (with <c>IsDeleted</c> true).</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="client">A Salesforce client.</param>
    /// <param name="soql">The query.</param>
    /// <param name="typeInfo">How to read a record.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The records.</returns>
    public static IAsyncEnumerable<T> QueryAllAsync<T>(this HttpClient client, string soql, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default) =>
        Enumerate(client, QueryUri(client, "queryAll", soql), typeInfo, cancellationToken);

    /// <summary>Like <c>QueryAsync</c>, through <c>queryAll</c>: deleted and archived records are included.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="client">A Salesforce client.</param>
    /// <param name="soql">The query.</param>
    /// <param name="options">Serializer options; <see langword="null"/> for the helpers' defaults.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The records.</returns>
    [RequiresUnreferencedCode(ReflectionJson.Message)]
    [RequiresDynamicCode(ReflectionJson.Message)]
    public static IAsyncEnumerable<T> QueryAllAsync<T>(this HttpClient client, string soql, JsonSerializerOptions? options = null, CancellationToken cancellationToken = default) =>
        client.QueryAllAsync(soql, ReflectionJson.TypeInfo<T>(options), cancellationToken);

    /// <summary>
    /// Runs a SOQL query and returns its first page only, with <see cref="SalesforceQueryResult{T}.TotalSize"/> (the
    /// count for <c>SELECT COUNT()</c>) and the <see cref="SalesforceQueryResult{T}.NextRecordsUrl"/> of the next page.
    /// </summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="client">A Salesforce client.</param>
    /// <param name="soql">The query.</param>
    /// <param name="typeInfo">How to read a record.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The first page.</returns>
    public static Task<SalesforceQueryResult<T>> QueryPageAsync<T>(this HttpClient client, string soql, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default) =>
        ReadPageAsync(client, QueryUri(client, "query", soql), QueryPageConverter<T>.TypeInfo(NotNull(typeInfo)), cancellationToken);

    /// <summary>Runs a SOQL query and returns its first page only, with the total size and the next page's path.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="client">A Salesforce client.</param>
    /// <param name="soql">The query.</param>
    /// <param name="options">Serializer options; <see langword="null"/> for the helpers' defaults.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The first page.</returns>
    [RequiresUnreferencedCode(ReflectionJson.Message)]
    [RequiresDynamicCode(ReflectionJson.Message)]
    public static Task<SalesforceQueryResult<T>> QueryPageAsync<T>(this HttpClient client, string soql, JsonSerializerOptions? options = null, CancellationToken cancellationToken = default) =>
        client.QueryPageAsync(soql, ReflectionJson.TypeInfo<T>(options), cancellationToken);

    /// <summary>Reads the page a previous page's <see cref="SalesforceQueryResult{T}.NextRecordsUrl"/> points to.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="client">A Salesforce client.</param>
    /// <param name="nextRecordsUrl">The path Salesforce gave, such as <c>/services/data/v62.0/query/01g…-2000</c>; nothing else is followed.</param>
    /// <param name="typeInfo">How to read a record.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    /// <exception cref="ArgumentException">The path is not a plain path under <c>/services/data/</c>.</exception>
    public static Task<SalesforceQueryResult<T>> QueryNextPageAsync<T>(this HttpClient client, string nextRecordsUrl, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        if (!IsSafeNextRecordsUrl(nextRecordsUrl))
        {
            throw new ArgumentException("The next page's path must be a plain path under /services/data/, as Salesforce's nextRecordsUrl is.", nameof(nextRecordsUrl));
        }

        return ReadPageAsync(client, nextRecordsUrl, QueryPageConverter<T>.TypeInfo(NotNull(typeInfo)), cancellationToken);
    }

    /// <summary>Reads the page a previous page's <see cref="SalesforceQueryResult{T}.NextRecordsUrl"/> points to.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="client">A Salesforce client.</param>
    /// <param name="nextRecordsUrl">The path Salesforce gave.</param>
    /// <param name="options">Serializer options; <see langword="null"/> for the helpers' defaults.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    [RequiresUnreferencedCode(ReflectionJson.Message)]
    [RequiresDynamicCode(ReflectionJson.Message)]
    public static Task<SalesforceQueryResult<T>> QueryNextPageAsync<T>(this HttpClient client, string nextRecordsUrl, JsonSerializerOptions? options = null, CancellationToken cancellationToken = default) =>
        client.QueryNextPageAsync(nextRecordsUrl, ReflectionJson.TypeInfo<T>(options), cancellationToken);

    /// <summary>Lists the REST API versions the org offers (<c>GET /services/data/</c>), oldest first.</summary>
    /// <param name="client">A Salesforce client.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The versions.</returns>
    public static async Task<IReadOnlyList<SalesforceApiVersionInfo>> GetApiVersionsAsync(this HttpClient client, CancellationToken cancellationToken = default)
    {
        using var document = await RestCall.SendForJsonAsync(client, HttpMethod.Get, "services/data/", null, cancellationToken).ConfigureAwait(false);
        if (document?.RootElement is not { ValueKind: JsonValueKind.Array } versions)
        {
            throw RestCall.Unexpected(HttpStatusCode.OK, "GET /services/data/ did not answer with a list of versions.");
        }

        return versions.EnumerateArray()
            .Select(v => new SalesforceApiVersionInfo(RestCall.String(v, "version") ?? string.Empty, RestCall.String(v, "label") ?? string.Empty, RestCall.String(v, "url") ?? string.Empty))
            .ToList();
    }

    private static string QueryUri(HttpClient client, string resource, string soql)
    {
        Guard.NotNull(client);
        Guard.NotNullOrEmpty(soql);
        return RestCall.DataUri(client, resource + "?q=" + Uri.EscapeDataString(soql));
    }

    private static IAsyncEnumerable<T> Enumerate<T>(HttpClient client, string firstUri, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken) =>
        EnumerateAsync(client, firstUri, QueryPageConverter<T>.TypeInfo(NotNull(typeInfo)), cancellationToken);

    private static async IAsyncEnumerable<T> EnumerateAsync<T>(
        HttpClient client, string firstUri, JsonTypeInfo<SalesforceQueryResult<T>> pageInfo, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var next = firstUri;
        while (next is not null)
        {
            var page = await ReadPageAsync(client, next, pageInfo, cancellationToken).ConfigureAwait(false);
            foreach (var record in page.Records)
            {
                yield return record;
            }

            next = page.Done ? null : page.NextRecordsUrl;
        }
    }

    private static async Task<SalesforceQueryResult<T>> ReadPageAsync<T>(HttpClient client, string relativeUri, JsonTypeInfo<SalesforceQueryResult<T>> pageInfo, CancellationToken cancellationToken)
    {
        using var response = await RestCall.SendAsync(client, HttpMethod.Get, relativeUri, null, cancellationToken).ConfigureAwait(false);
        SalesforceQueryResult<T>? page;
        try
        {
            using var stream = new BoundedReadStream(await RestCall.ReadStreamAsync(response.Content, cancellationToken).ConfigureAwait(false), RestCall.MaxResponseBytes);
            page = await JsonSerializer.DeserializeAsync(stream, pageInfo, cancellationToken).ConfigureAwait(false);
        }
        catch (ResponseTooLargeException)
        {
            throw RestCall.Unexpected(response.StatusCode, $"A query page from {RestCall.PathOf(relativeUri)} is larger than {RestCall.MaxResponseBytes} bytes. Select fewer fields or ask for smaller batches.");
        }
        catch (JsonException ex)
        {
            throw RestCall.Unexpected(response.StatusCode, $"A query page from {RestCall.PathOf(relativeUri)} could not be read: {ex.Message}");
        }

        if (page is null)
        {
            throw RestCall.Unexpected(response.StatusCode, $"GET {RestCall.PathOf(relativeUri)} answered null instead of a query page.");
        }

        // docs/salesforce-behaviour.md#query-paging: nextRecordsUrl comes from the answer, so only a plain path on the same
        // instance is followed; an absolute URL or a path trick would send the token elsewhere.
        if (!page.Done && !IsSafeNextRecordsUrl(page.NextRecordsUrl))
        {
            throw RestCall.Unexpected(response.StatusCode,
                $"A query page from {RestCall.PathOf(relativeUri)} is not the last but its nextRecordsUrl is missing or not a plain path under /services/data/; it was not followed.");
        }

        return page;
    }

    /// <summary>A path under <c>/services/data/</c> with no scheme, host, query, backslash or dot segment.</summary>
    internal static bool IsSafeNextRecordsUrl(string? url) =>
        url is { Length: > 15 and < 512 }
        && url.StartsWith("/services/data/", StringComparison.Ordinal)
        && !url.Contains("//", StringComparison.Ordinal)
        && !url.Contains("..", StringComparison.Ordinal)
        && url.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '/' or '.' or '-' or '_');

    private static JsonTypeInfo<T> NotNull<T>(JsonTypeInfo<T> typeInfo)
    {
        Guard.NotNull(typeInfo);
        return typeInfo;
    }
}
