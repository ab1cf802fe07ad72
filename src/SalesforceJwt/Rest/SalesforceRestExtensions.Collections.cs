using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using SalesforceJwt.Internal;
using SalesforceJwt.Rest.Internal;

namespace SalesforceJwt.Rest;

// Each helper comes as a JsonTypeInfo<T> overload (trimming- and AOT-safe) and a JsonSerializerOptions overload
// (reflection), both with an optional trailing CancellationToken, as System.Net.Http.Json's are.
#pragma warning disable RS0026

public static partial class SalesforceRestExtensions
{
    /// <summary>The most records one sObject Collections call takes.</summary>
    public const int MaxCollectionRecords = 200;

    /// <summary>
    /// Creates up to 200 records of one type in one call (<c>POST composite/sobjects</c>); each record gets
    /// <c>attributes.type</c>. Failures of single records are in the results, in request order, not thrown.
    /// </summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="client">A Salesforce client.</param>
    /// <param name="sObjectType">The object's API name.</param>
    /// <param name="records">1 to 200 records.</param>
    /// <param name="typeInfo">How to write a record.</param>
    /// <param name="allOrNone">Whether one failure rolls back all records.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One result per record, in order.</returns>
    public static Task<IReadOnlyList<SalesforceSaveResult>> CreateRecordsAsync<T>(
        this HttpClient client, string sObjectType, IReadOnlyList<T> records, JsonTypeInfo<T> typeInfo, bool allOrNone = false, CancellationToken cancellationToken = default) =>
        SaveCollectionAsync(client, HttpMethod.Post, sObjectType, records, typeInfo, allOrNone, keepId: false, cancellationToken);

    /// <summary>Creates up to 200 records of one type in one call (<c>POST composite/sobjects</c>).</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="client">A Salesforce client.</param>
    /// <param name="sObjectType">The object's API name.</param>
    /// <param name="records">1 to 200 records.</param>
    /// <param name="allOrNone">Whether one failure rolls back all records.</param>
    /// <param name="options">Serializer options; <see langword="null"/> for the helpers' defaults.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One result per record, in order.</returns>
    [RequiresUnreferencedCode(ReflectionJson.Message)]
    [RequiresDynamicCode(ReflectionJson.Message)]
    public static Task<IReadOnlyList<SalesforceSaveResult>> CreateRecordsAsync<T>(
        this HttpClient client, string sObjectType, IReadOnlyList<T> records, bool allOrNone = false, JsonSerializerOptions? options = null, CancellationToken cancellationToken = default) =>
        client.CreateRecordsAsync(sObjectType, records, ReflectionJson.TypeInfo<T>(options), allOrNone, cancellationToken);

    /// <summary>Updates up to 200 records of one type in one call (<c>PATCH composite/sobjects</c>); each record must carry its <c>Id</c>.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="client">A Salesforce client.</param>
    /// <param name="sObjectType">The object's API name.</param>
    /// <param name="records">1 to 200 records, each with its <c>Id</c>.</param>
    /// <param name="typeInfo">How to write a record.</param>
    /// <param name="allOrNone">Whether one failure rolls back all records.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One result per record, in order.</returns>
    public static Task<IReadOnlyList<SalesforceSaveResult>> UpdateRecordsAsync<T>(
        this HttpClient client, string sObjectType, IReadOnlyList<T> records, JsonTypeInfo<T> typeInfo, bool allOrNone = false, CancellationToken cancellationToken = default) =>
        SaveCollectionAsync(client, new HttpMethod("PATCH"), sObjectType, records, typeInfo, allOrNone, keepId: true, cancellationToken);

    /// <summary>Updates up to 200 records of one type in one call (<c>PATCH composite/sobjects</c>).</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="client">A Salesforce client.</param>
    /// <param name="sObjectType">The object's API name.</param>
    /// <param name="records">1 to 200 records, each with its <c>Id</c>.</param>
    /// <param name="allOrNone">Whether one failure rolls back all records.</param>
    /// <param name="options">Serializer options; <see langword="null"/> for the helpers' defaults.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One result per record, in order.</returns>
    [RequiresUnreferencedCode(ReflectionJson.Message)]
    [RequiresDynamicCode(ReflectionJson.Message)]
    public static Task<IReadOnlyList<SalesforceSaveResult>> UpdateRecordsAsync<T>(
        this HttpClient client, string sObjectType, IReadOnlyList<T> records, bool allOrNone = false, JsonSerializerOptions? options = null, CancellationToken cancellationToken = default) =>
        client.UpdateRecordsAsync(sObjectType, records, ReflectionJson.TypeInfo<T>(options), allOrNone, cancellationToken);

    /// <summary>Deletes up to 200 records in one call (<c>DELETE composite/sobjects?ids=…</c>).</summary>
    /// <param name="client">A Salesforce client.</param>
    /// <param name="ids">1 to 200 record ids.</param>
    /// <param name="allOrNone">Whether one failure rolls back all deletions.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One result per id, in order.</returns>
    public static async Task<IReadOnlyList<SalesforceSaveResult>> DeleteRecordsAsync(this HttpClient client, IReadOnlyList<string> ids, bool allOrNone = false, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(ids);
        CheckCount(ids.Count, nameof(ids));
        var list = string.Join(",", ids.Select(id => ApiNames.RequireId(id, nameof(ids))));
        var uri = RestCall.DataUri(NotNull(client), "composite/sobjects?ids=" + Uri.EscapeDataString(list) + "&allOrNone=" + (allOrNone ? "true" : "false"));
        using var document = await RestCall.SendForJsonAsync(client, HttpMethod.Delete, uri, null, cancellationToken).ConfigureAwait(false);
        return SaveResults(document, "DELETE", uri);
    }

    /// <summary>
    /// Reads up to 200 records of one type by id in one call (<c>GET composite/sobjects/{type}?ids=…&amp;fields=…</c>).
    /// A record that does not exist comes back as <see langword="null"/> in its place.
    /// </summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="client">A Salesforce client.</param>
    /// <param name="sObjectType">The object's API name.</param>
    /// <param name="ids">1 to 200 record ids.</param>
    /// <param name="fields">The fields to return (at least one).</param>
    /// <param name="typeInfo">How to read a record.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One record (or <see langword="null"/>) per id, in order.</returns>
    public static async Task<IReadOnlyList<T?>> GetRecordsAsync<T>(
        this HttpClient client, string sObjectType, IReadOnlyList<string> ids, IEnumerable<string> fields, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        var type = ApiNames.RequireName(sObjectType, nameof(sObjectType));
        Guard.NotNull(ids);
        Guard.NotNull(fields);
        Guard.NotNull(typeInfo);
        CheckCount(ids.Count, nameof(ids));
        var names = fields.Select(f => ApiNames.RequireName(f, nameof(fields), "field")).ToList();
        if (names.Count == 0)
        {
            throw new ArgumentException("Name at least one field to return.", nameof(fields));
        }

        var uri = RestCall.DataUri(NotNull(client), "composite/sobjects/" + type + "?ids=" + Uri.EscapeDataString(string.Join(",", ids.Select(id => ApiNames.RequireId(id, nameof(ids)))))
            + "&fields=" + Uri.EscapeDataString(string.Join(",", names)));
        using var document = await RestCall.SendForJsonAsync(client, HttpMethod.Get, uri, null, cancellationToken).ConfigureAwait(false);
        if (document?.RootElement is not { ValueKind: JsonValueKind.Array } records)
        {
            throw RestCall.Unexpected(HttpStatusCode.OK, $"GET {RestCall.PathOf(uri)} did not answer with one record per id.");
        }

        try
        {
            return records.EnumerateArray().Select(r => r.ValueKind == JsonValueKind.Null ? default : r.Deserialize(typeInfo)).ToList();
        }
        catch (JsonException ex)
        {
            throw RestCall.Unexpected(HttpStatusCode.OK, $"The records from {RestCall.PathOf(uri)} could not be read: {ex.Message}");
        }
    }

    /// <summary>Reads up to 200 records of one type by id in one call; a missing record is <see langword="null"/> in its place.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="client">A Salesforce client.</param>
    /// <param name="sObjectType">The object's API name.</param>
    /// <param name="ids">1 to 200 record ids.</param>
    /// <param name="fields">The fields to return (at least one).</param>
    /// <param name="options">Serializer options; <see langword="null"/> for the helpers' defaults.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One record (or <see langword="null"/>) per id, in order.</returns>
    [RequiresUnreferencedCode(ReflectionJson.Message)]
    [RequiresDynamicCode(ReflectionJson.Message)]
    public static Task<IReadOnlyList<T?>> GetRecordsAsync<T>(
        this HttpClient client, string sObjectType, IReadOnlyList<string> ids, IEnumerable<string> fields, JsonSerializerOptions? options = null, CancellationToken cancellationToken = default) =>
        client.GetRecordsAsync(sObjectType, ids, fields, ReflectionJson.TypeInfo<T>(options), cancellationToken);

    private static async Task<IReadOnlyList<SalesforceSaveResult>> SaveCollectionAsync<T>(
        HttpClient client, HttpMethod method, string sObjectType, IReadOnlyList<T> records, JsonTypeInfo<T> typeInfo, bool allOrNone, bool keepId, CancellationToken cancellationToken)
    {
        var type = ApiNames.RequireName(sObjectType, nameof(sObjectType));
        Guard.NotNull(records);
        Guard.NotNull(typeInfo);
        CheckCount(records.Count, nameof(records));
        var uri = RestCall.DataUri(NotNull(client), "composite/sobjects");

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("allOrNone", allOrNone);
            writer.WriteStartArray("records");
            foreach (var record in records)
            {
                RecordJson.WriteRecord(writer, JsonSerializer.SerializeToElement(record, typeInfo), type, keepId, nameof(records));
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        using var document = await RestCall.SendForJsonAsync(client, method, uri, RecordJson.Content(buffer.ToArray()), cancellationToken).ConfigureAwait(false);
        return SaveResults(document, method.Method, uri);
    }

    private static List<SalesforceSaveResult> SaveResults(JsonDocument? document, string method, string uri)
    {
        if (document?.RootElement is not { ValueKind: JsonValueKind.Array } results)
        {
            throw RestCall.Unexpected(HttpStatusCode.OK, $"{method} {RestCall.PathOf(uri)} did not answer with one result per record.");
        }

        return results.EnumerateArray()
            .Select(r => new SalesforceSaveResult(
                RestCall.String(r, "id"),
                r.ValueKind == JsonValueKind.Object && r.TryGetProperty("success", out var success) && success.ValueKind == JsonValueKind.True,
                r.ValueKind == JsonValueKind.Object && r.TryGetProperty("errors", out var errors) ? RestCall.ParseErrors(errors) : []))
            .ToList();
    }

    private static void CheckCount(int count, string parameterName)
    {
        // docs/salesforce-behaviour.md#sobject-collections-and-composite: at most 200 records per call.
        if (count is < 1 or > MaxCollectionRecords)
        {
            throw new ArgumentException($"sObject Collections take 1 to {MaxCollectionRecords} records per call; got {count}. Split the records into batches of {MaxCollectionRecords}.", parameterName);
        }
    }
}
