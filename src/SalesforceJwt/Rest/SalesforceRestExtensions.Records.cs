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
    /// <summary>Reads one record (<c>GET sobjects/{type}/{id}</c>).</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="client">A Salesforce client.</param>
    /// <param name="sObjectType">The object's API name, such as <c>Account</c>.</param>
    /// <param name="id">The record's 15- or 18-character id.</param>
    /// <param name="typeInfo">How to read the record.</param>
    /// <param name="fields">The fields to return; <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The record.</returns>
    /// <exception cref="SalesforceApiException">Salesforce answered an error, such as <c>NOT_FOUND</c>.</exception>
    public static async Task<T> GetRecordAsync<T>(this HttpClient client, string sObjectType, string id, JsonTypeInfo<T> typeInfo, IEnumerable<string>? fields = null, CancellationToken cancellationToken = default)
    {
        var uri = RecordUri(client, sObjectType, id);
        Guard.NotNull(typeInfo);
        if (fields is not null)
        {
            var names = fields.Select(f => ApiNames.RequireName(f, nameof(fields), "field")).ToList();
            if (names.Count > 0)
            {
                uri += "?fields=" + Uri.EscapeDataString(string.Join(",", names));
            }
        }

        using var response = await RestCall.SendAsync(client, HttpMethod.Get, uri, null, cancellationToken).ConfigureAwait(false);
        try
        {
            using var stream = new BoundedReadStream(await RestCall.ReadStreamAsync(response.Content, cancellationToken).ConfigureAwait(false), RestCall.MaxResponseBytes);
            return (await JsonSerializer.DeserializeAsync(stream, typeInfo, cancellationToken).ConfigureAwait(false))!;
        }
        catch (Exception ex) when (ex is JsonException or ResponseTooLargeException)
        {
            throw RestCall.Unexpected(response.StatusCode, $"The record from {RestCall.PathOf(uri)} could not be read: {ex.Message}");
        }
    }

    /// <summary>Reads one record (<c>GET sobjects/{type}/{id}</c>).</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="client">A Salesforce client.</param>
    /// <param name="sObjectType">The object's API name.</param>
    /// <param name="id">The record's id.</param>
    /// <param name="fields">The fields to return; <see langword="null"/> for all.</param>
    /// <param name="options">Serializer options; <see langword="null"/> for the helpers' defaults.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The record.</returns>
    [RequiresUnreferencedCode(ReflectionJson.Message)]
    [RequiresDynamicCode(ReflectionJson.Message)]
    public static Task<T> GetRecordAsync<T>(this HttpClient client, string sObjectType, string id, IEnumerable<string>? fields = null, JsonSerializerOptions? options = null, CancellationToken cancellationToken = default) =>
        client.GetRecordAsync(sObjectType, id, ReflectionJson.TypeInfo<T>(options), fields, cancellationToken);

    /// <summary>Creates a record (<c>POST sobjects/{type}</c>). The record's own <c>attributes</c> and <c>Id</c> are not sent.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="client">A Salesforce client.</param>
    /// <param name="sObjectType">The object's API name.</param>
    /// <param name="record">The fields to set.</param>
    /// <param name="typeInfo">How to write the record.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new record's id.</returns>
    /// <exception cref="SalesforceApiException">Salesforce answered an error, such as <c>REQUIRED_FIELD_MISSING</c>.</exception>
    public static async Task<string> CreateRecordAsync<T>(this HttpClient client, string sObjectType, T record, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        var uri = RestCall.DataUri(NotNull(client), "sobjects/" + ApiNames.RequireName(sObjectType, nameof(sObjectType)));
        var content = RecordJson.Single(JsonSerializer.SerializeToElement(record, NotNull(typeInfo)), nameof(record));
        using var document = await RestCall.SendForJsonAsync(client, HttpMethod.Post, uri, content, cancellationToken).ConfigureAwait(false);
        return RestCall.String(document?.RootElement ?? default, "id")
            ?? throw RestCall.Unexpected(HttpStatusCode.Created, $"POST {RestCall.PathOf(uri)} succeeded without returning the new record's id.");
    }

    /// <summary>Creates a record (<c>POST sobjects/{type}</c>).</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="client">A Salesforce client.</param>
    /// <param name="sObjectType">The object's API name.</param>
    /// <param name="record">The fields to set.</param>
    /// <param name="options">Serializer options; <see langword="null"/> for the helpers' defaults (null properties are not sent).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new record's id.</returns>
    [RequiresUnreferencedCode(ReflectionJson.Message)]
    [RequiresDynamicCode(ReflectionJson.Message)]
    public static Task<string> CreateRecordAsync<T>(this HttpClient client, string sObjectType, T record, JsonSerializerOptions? options = null, CancellationToken cancellationToken = default) =>
        client.CreateRecordAsync(sObjectType, record, ReflectionJson.TypeInfo<T>(options), cancellationToken);

    /// <summary>Updates a record's fields (<c>PATCH sobjects/{type}/{id}</c>); fields not in the body keep their values.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="client">A Salesforce client.</param>
    /// <param name="sObjectType">The object's API name.</param>
    /// <param name="id">The record's id.</param>
    /// <param name="changes">The fields to change; its own <c>attributes</c> and <c>Id</c> are not sent.</param>
    /// <param name="typeInfo">How to write the changes.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the record is updated.</returns>
    public static async Task UpdateRecordAsync<T>(this HttpClient client, string sObjectType, string id, T changes, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        var uri = RecordUri(client, sObjectType, id);
        var content = RecordJson.Single(JsonSerializer.SerializeToElement(changes, NotNull(typeInfo)), nameof(changes));
        using var response = await RestCall.SendAsync(client, new HttpMethod("PATCH"), uri, content, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Updates a record's fields (<c>PATCH sobjects/{type}/{id}</c>).</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="client">A Salesforce client.</param>
    /// <param name="sObjectType">The object's API name.</param>
    /// <param name="id">The record's id.</param>
    /// <param name="changes">The fields to change.</param>
    /// <param name="options">Serializer options; <see langword="null"/> for the helpers' defaults (null properties are not sent).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the record is updated.</returns>
    [RequiresUnreferencedCode(ReflectionJson.Message)]
    [RequiresDynamicCode(ReflectionJson.Message)]
    public static Task UpdateRecordAsync<T>(this HttpClient client, string sObjectType, string id, T changes, JsonSerializerOptions? options = null, CancellationToken cancellationToken = default) =>
        client.UpdateRecordAsync(sObjectType, id, changes, ReflectionJson.TypeInfo<T>(options), cancellationToken);

    /// <summary>
    /// Creates or updates the record whose external id field has a value (<c>PATCH sobjects/{type}/{field}/{value}</c>).
    /// Salesforce answers 201 when it created the record, and 200 or 204 (by API version) when it updated one.
    /// </summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="client">A Salesforce client.</param>
    /// <param name="sObjectType">The object's API name.</param>
    /// <param name="externalIdField">The external id field's API name (or <c>Id</c>).</param>
    /// <param name="externalIdValue">Its value; escaped into the path.</param>
    /// <param name="record">The fields to set; do not repeat the external id field.</param>
    /// <param name="typeInfo">How to write the record.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether the record was created, and its id when Salesforce gave it.</returns>
    /// <exception cref="SalesforceApiException">Salesforce answered an error; <c>MULTIPLE_CHOICES</c> (300) when several records have the value.</exception>
    public static async Task<SalesforceUpsertResult> UpsertRecordAsync<T>(
        this HttpClient client, string sObjectType, string externalIdField, string externalIdValue, T record, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        var uri = RestCall.DataUri(NotNull(client),
            "sobjects/" + ApiNames.RequireName(sObjectType, nameof(sObjectType)) + "/" + ApiNames.RequireName(externalIdField, nameof(externalIdField), "field") + "/" +
            ApiNames.RequireExternalIdValue(externalIdValue, nameof(externalIdValue)));
        var content = RecordJson.Single(JsonSerializer.SerializeToElement(record, NotNull(typeInfo)), nameof(record));
        using var response = await RestCall.SendAsync(client, new HttpMethod("PATCH"), uri, content, cancellationToken).ConfigureAwait(false);

        // docs/salesforce-behaviour.md#records-and-upsert: 201 created; 200 (with a body) or 204 (without) updated.
        var created = response.StatusCode == HttpStatusCode.Created;
        using var document = await RestCall.ReadJsonAsync(response, "PATCH", uri, cancellationToken).ConfigureAwait(false);
        var root = document?.RootElement ?? default;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("created", out var flag) && flag.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            created = flag.GetBoolean();
        }

        return new SalesforceUpsertResult(RestCall.String(root, "id"), created);
    }

    /// <summary>Creates or updates the record whose external id field has a value.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="client">A Salesforce client.</param>
    /// <param name="sObjectType">The object's API name.</param>
    /// <param name="externalIdField">The external id field's API name.</param>
    /// <param name="externalIdValue">Its value.</param>
    /// <param name="record">The fields to set.</param>
    /// <param name="options">Serializer options; <see langword="null"/> for the helpers' defaults.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether the record was created, and its id when Salesforce gave it.</returns>
    [RequiresUnreferencedCode(ReflectionJson.Message)]
    [RequiresDynamicCode(ReflectionJson.Message)]
    public static Task<SalesforceUpsertResult> UpsertRecordAsync<T>(
        this HttpClient client, string sObjectType, string externalIdField, string externalIdValue, T record, JsonSerializerOptions? options = null, CancellationToken cancellationToken = default) =>
        client.UpsertRecordAsync(sObjectType, externalIdField, externalIdValue, record, ReflectionJson.TypeInfo<T>(options), cancellationToken);

    /// <summary>Deletes a record (<c>DELETE sobjects/{type}/{id}</c>).</summary>
    /// <param name="client">A Salesforce client.</param>
    /// <param name="sObjectType">The object's API name.</param>
    /// <param name="id">The record's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the record is deleted.</returns>
    public static async Task DeleteRecordAsync(this HttpClient client, string sObjectType, string id, CancellationToken cancellationToken = default)
    {
        var uri = RecordUri(client, sObjectType, id);
        using var response = await RestCall.SendAsync(client, HttpMethod.Delete, uri, null, cancellationToken).ConfigureAwait(false);
    }

    private static string RecordUri(HttpClient client, string sObjectType, string id) =>
        RestCall.DataUri(NotNull(client), "sobjects/" + ApiNames.RequireName(sObjectType, nameof(sObjectType)) + "/" + ApiNames.RequireId(id, nameof(id)));

    private static HttpClient NotNull(HttpClient client)
    {
        Guard.NotNull(client);
        return client;
    }
}
