using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SalesforceJwt.Testing.Internal;
using SalesforceJwt.Testing.Internal.Soql;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using WireMock;
using WireMock.Types;

namespace SalesforceJwt.Testing;

/// <summary>The REST data API: SOQL with paging, records, upsert, sObject Collections, composite, and API usage.</summary>
public sealed partial class FakeSalesforceOrg
{
    private const int MaxCollectionRecords = 200;
    private const int MaxCompositeSubrequests = 25;
    private static readonly TimeSpan s_locatorIdle = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan s_apiUsageWindow = TimeSpan.FromHours(24);
    private static readonly Dictionary<string, string[]> s_requiredFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Account"] = ["Name"],
        ["Contact"] = ["LastName"],
    };

    private readonly Dictionary<string, List<JsonObject>> _deleted = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, HashSet<string>> _schemas = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, HashSet<string>> _externalIds = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, QueryCursor> _cursors = new(StringComparer.Ordinal);
    private int _nextCursor;
    private int _apiUsed;
    private DateTimeOffset? _apiWindowStart;

    /// <summary>Gets or sets how many records a query page holds at most; a request's <c>Sforce-Query-Options: batchSize=N</c> header overrides it.</summary>
    public int QueryBatchSize
    {
        get { lock (_lock) { return _options.QueryBatchSize; } }
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            lock (_lock)
            {
                _options.QueryBatchSize = value;
            }
        }
    }

    /// <summary>Gets or sets the org's daily API allocation: REST calls beyond it in a 24-hour window answer 403 <c>REQUEST_LIMIT_EXCEEDED</c>.</summary>
    public int DailyApiRequestLimit
    {
        get { lock (_lock) { return _options.DailyApiRequestLimit; } }
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            lock (_lock)
            {
                _options.DailyApiRequestLimit = value;
            }
        }
    }

    /// <summary>Gets the REST calls counted against <see cref="DailyApiRequestLimit"/> in the current 24-hour window, as <c>Sforce-Limit-Info</c> reports them.</summary>
    public int ApiRequestsUsed
    {
        get { lock (_lock) { return _apiUsed; } }
    }

    /// <summary>
    /// Declares the fields of an object: from then on, a query, read, create or update naming any other field of it answers
    /// <c>INVALID_FIELD</c>. Objects never declared accept any field.
    /// </summary>
    /// <param name="sObjectType">The object type.</param>
    /// <param name="fields">Its fields; <c>Id</c> and <c>IsDeleted</c> are always included.</param>
    public void DefineFields(string sObjectType, params string[] fields)
    {
        ArgumentException.ThrowIfNullOrEmpty(sObjectType);
        ArgumentNullException.ThrowIfNull(fields);
        lock (_lock)
        {
            if (!_schemas.TryGetValue(sObjectType, out var known))
            {
                _schemas[sObjectType] = known = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Id", "IsDeleted" };
            }

            known.UnionWith(fields);
        }
    }

    /// <summary>
    /// Marks a field as a unique external id: upserts may use it, and a create or update that repeats another record's
    /// value answers <c>DUPLICATE_VALUE</c>. Upserts by any other field but <c>Id</c> answer <c>NOT_FOUND</c>, as Salesforce does.
    /// </summary>
    /// <param name="sObjectType">The object type.</param>
    /// <param name="field">The field.</param>
    public void AddExternalIdField(string sObjectType, string field)
    {
        ArgumentException.ThrowIfNullOrEmpty(sObjectType);
        ArgumentException.ThrowIfNullOrEmpty(field);
        lock (_lock)
        {
            if (!_externalIds.TryGetValue(sObjectType, out var fields))
            {
                _externalIds[sObjectType] = fields = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            }

            fields.Add(field);
            if (_schemas.TryGetValue(sObjectType, out var known))
            {
                known.Add(field);
            }
        }
    }

    /// <summary>Counts one REST call against the daily allocation; false when it is spent.</summary>
    private bool CountApiCall(out int used, out int limit)
    {
        lock (_lock)
        {
            var now = Now;
            if (_apiWindowStart is not { } start || now - start >= s_apiUsageWindow)
            {
                _apiWindowStart = now;
                _apiUsed = 0;
            }

            limit = _options.DailyApiRequestLimit;
            var allowed = !RequestLimitExceeded && _apiUsed < limit;
            if (allowed)
            {
                _apiUsed++;
            }

            used = _apiUsed;
            return allowed;
        }
    }

    private static ResponseMessage WithApiUsage(ResponseMessage answer, int used, int limit)
    {
        answer.Headers ??= new Dictionary<string, WireMockList<string>>();
        answer.Headers["Sforce-Limit-Info"] = new WireMockList<string>($"api-usage={used}/{limit}");
        return answer;
    }

    private ResponseMessage Dispatch(RestInput input)
    {
        try
        {
            return (input.Method, input.Segments) switch
            {
                ("GET", []) => Answers.Json(HttpStatusCode.OK, $$"""{"limits":"/services/data/{{input.Version}}/limits","query":"/services/data/{{input.Version}}/query","sobjects":"/services/data/{{input.Version}}/sobjects"}"""),
                ("GET", ["limits"]) => Limits(),
                ("GET", ["query"]) => Query(input, includeDeleted: false),
                ("GET", ["queryAll"]) => Query(input, includeDeleted: true),
                ("GET", ["query" or "queryAll", var locator]) => NextPage(input, locator),
                ("POST", ["sobjects", var type]) => Create(input, type),
                ("GET", ["sobjects", var type, var id]) => Read(input, type, id),
                ("PATCH", ["sobjects", var type, var id]) => Update(input, type, id),
                ("DELETE", ["sobjects", var type, var id]) => Delete(type, id),
                ("PATCH", ["sobjects", var type, var field, var value]) => Upsert(input, type, field, value),
                ("POST", ["composite", "sobjects"]) => SaveCollection(input, update: false),
                ("PATCH", ["composite", "sobjects"]) => SaveCollection(input, update: true),
                ("DELETE", ["composite", "sobjects"]) => DeleteCollection(input),
                ("GET", ["composite", "sobjects", var type]) => ReadCollection(input, type),
                ("POST", ["composite"]) => Composite(input),
                _ => Answers.Json(HttpStatusCode.NotFound, Answers.NotFound),
            };
        }
        catch (JsonException)
        {
            return Error(HttpStatusCode.BadRequest, "JSON_PARSER_ERROR", "The request body is not valid JSON.");
        }
    }

    private ResponseMessage Limits()
    {
        lock (_lock)
        {
            var limit = _options.DailyApiRequestLimit;
            var daily = new JsonObject { ["Max"] = limit, ["Remaining"] = Math.Max(0, limit - _apiUsed) };
            return Answers.Json(HttpStatusCode.OK, new JsonObject { ["DailyApiRequests"] = daily, ["DataStorageMB"] = new JsonObject { ["Max"] = 5, ["Remaining"] = 5 } }.ToJsonString());
        }
    }

    private static ResponseMessage Error(HttpStatusCode status, string code, string message, params string[] fields) =>
        Answers.Json(status, new JsonArray(ErrorObject("errorCode", code, message, fields)).ToJsonString());

    private static JsonObject ErrorObject(string codeName, string code, string message, string[] fields)
    {
        var error = new JsonObject { ["message"] = message, [codeName] = code };
        if (fields.Length > 0 || codeName == "statusCode")
        {
            error["fields"] = new JsonArray(fields.Select(f => (JsonNode?)f).ToArray());
        }

        return error;
    }

    private ResponseMessage Query(RestInput input, bool includeDeleted)
    {
        var soql = Form.Parse(input.Query).GetValueOrDefault("q") ?? string.Empty;
        try
        {
            var query = SoqlQuery.Parse(soql);
            lock (_lock)
            {
                if (UnknownField(query.From, query.ReferencedFields) is { } unknown)
                {
                    return Error(HttpStatusCode.BadRequest, "INVALID_FIELD", $"No such column '{unknown}' on entity '{query.From}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.");
                }

                var source = _records.GetValueOrDefault(query.From, []).AsEnumerable();
                if (includeDeleted)
                {
                    source = source.Concat(_deleted.GetValueOrDefault(query.From, []));
                }

                var rows = query.Run(source);
                if (query.IsCount)
                {
                    return Answers.Json(HttpStatusCode.OK, new JsonObject { ["totalSize"] = rows.Count, ["done"] = true, ["records"] = new JsonArray() }.ToJsonString());
                }

                var projected = rows.Select(r => query.Project(r, query.From, input.Version)).ToList();
                return Page(input.Version, projected, 0, BatchSize(input), cursorId: null);
            }
        }
        catch (SoqlException ex)
        {
            return Error(HttpStatusCode.BadRequest, ex.ErrorCode, ex.Message);
        }
    }

    private int BatchSize(RestInput input)
    {
        var option = input.QueryOptions?.Split(',').Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("batchSize=", StringComparison.OrdinalIgnoreCase));
        return option is not null && int.TryParse(option["batchSize=".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var asked)
            ? Math.Clamp(asked, 200, 2000)
            : _options.QueryBatchSize;
    }

    /// <summary>One batch of rows from <paramref name="start"/>; keeps a query locator while rows remain (docs/salesforce-behaviour.md#query-paging).</summary>
    private ResponseMessage Page(string version, List<JsonObject> rows, int start, int batchSize, string? cursorId)
    {
        var end = Math.Min(rows.Count, start + batchSize);
        var records = new JsonArray();
        for (var i = start; i < end; i++)
        {
            records.Add(rows[i].DeepClone());
        }

        var result = new JsonObject { ["totalSize"] = rows.Count, ["done"] = end >= rows.Count };
        if (end < rows.Count)
        {
            if (cursorId is null)
            {
                cursorId = $"01gFK{++_nextCursor:D10}AAA";
                _cursors[cursorId] = new QueryCursor(rows, batchSize, Now);
            }

            result["nextRecordsUrl"] = $"/services/data/{version}/query/{cursorId}-{end}";
        }
        else if (cursorId is not null)
        {
            _cursors.Remove(cursorId);
        }

        result["records"] = records;
        return Answers.Json(HttpStatusCode.OK, result.ToJsonString());
    }

    private ResponseMessage NextPage(RestInput input, string locator)
    {
        var dash = locator.LastIndexOf('-');
        lock (_lock)
        {
            if (dash <= 0
                || !int.TryParse(locator[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
                || !_cursors.TryGetValue(locator[..dash], out var cursor)
                || Now - cursor.LastUsed > s_locatorIdle
                || start > cursor.Rows.Count)
            {
                if (dash > 0)
                {
                    _cursors.Remove(locator[..dash]);
                }

                return Error(HttpStatusCode.BadRequest, "INVALID_QUERY_LOCATOR", "invalid query locator");
            }

            cursor.LastUsed = Now;
            return Page(input.Version, cursor.Rows, start, cursor.BatchSize, locator[..dash]);
        }
    }

    private string? UnknownField(string type, IEnumerable<string> fields) =>
        _schemas.TryGetValue(type, out var known) ? fields.FirstOrDefault(f => !known.Contains(f)) : null;

    /// <summary>Checks fields to be saved: declared, required ones present, external ids unique. Null when fine.</summary>
    private (string Code, string Message, string[] Fields)? CheckSave(string type, JsonObject fields, JsonObject? existing)
    {
        if (UnknownField(type, fields.Select(p => p.Key)) is { } unknown)
        {
            return ("INVALID_FIELD", $"No such column '{unknown}' on sobject of type {type}", []);
        }

        if (s_requiredFields.TryGetValue(type, out var required))
        {
            var missing = required.Where(r =>
                existing is null
                    ? SoqlCondition.Field(fields, r) is null || SoqlCondition.Field(fields, r)!.ToJsonString() == "\"\""
                    : fields.Any(p => string.Equals(p.Key, r, StringComparison.OrdinalIgnoreCase)) && SoqlCondition.Field(fields, r) is null).ToArray();
            if (missing.Length > 0)
            {
                return ("REQUIRED_FIELD_MISSING", $"Required fields are missing: [{string.Join(", ", missing)}]", missing);
            }
        }

        foreach (var field in _externalIds.GetValueOrDefault(type, []))
        {
            if (SoqlCondition.Field(fields, field) is JsonValue value && value.TryGetValue<string>(out var text)
                && _records.GetValueOrDefault(type, []).FirstOrDefault(r => !ReferenceEquals(r, existing) && SameText(SoqlCondition.Field(r, field), text)) is { } other)
            {
                return ("DUPLICATE_VALUE", $"duplicate value found: {field} duplicates value on record with id: {other["Id"]}", []);
            }
        }

        return null;
    }

    private static bool SameText(JsonNode? node, string text) =>
        node is JsonValue value && value.TryGetValue<string>(out var stored) && string.Equals(stored, text, StringComparison.OrdinalIgnoreCase);

    private static JsonObject? ParseFields(string? body)
    {
        var fields = JsonNode.Parse(string.IsNullOrWhiteSpace(body) ? "null" : body) as JsonObject;
        fields?.Remove("attributes");
        return fields;
    }

    private ResponseMessage Create(RestInput input, string type)
    {
        // A multipart upload (ContentVersion, Attachment) carries the record's fields in its JSON part.
        var body = input.Body ?? string.Empty;
        if ((input.ContentType ?? string.Empty).StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
        {
            body = JsonPart().Match(body).Value;
        }

        JsonObject? fields;
        try
        {
            fields = ParseFields(body);
        }
        catch (JsonException)
        {
            fields = null;
        }

        if (fields is null)
        {
            return Error(HttpStatusCode.BadRequest, "JSON_PARSER_ERROR", "The request body is not a JSON object");
        }

        fields.Remove("Id");
        lock (_lock)
        {
            if (CheckSave(type, fields, existing: null) is { } error)
            {
                return Error(HttpStatusCode.BadRequest, error.Code, error.Message, error.Fields);
            }

            var id = Store(type, fields);
            return Answers.Json(HttpStatusCode.Created, $$"""{"id":"{{id}}","success":true,"errors":[]}""");
        }
    }

    private JsonObject? Find(string type, string id)
    {
        lock (_lock)
        {
            return _records.TryGetValue(type, out var list) ? list.FirstOrDefault(r => r["Id"]?.GetValue<string>() == id) : null;
        }
    }

    private ResponseMessage Read(RestInput input, string type, string id)
    {
        lock (_lock)
        {
            if (Find(type, id) is not { } record)
            {
                return Answers.Json(HttpStatusCode.NotFound, Answers.NotFound);
            }

            var fields = Form.Parse(input.Query).GetValueOrDefault("fields");
            if (string.IsNullOrEmpty(fields))
            {
                return Answers.Json(HttpStatusCode.OK, record.ToJsonString());
            }

            var names = fields.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (UnknownField(type, names) is { } unknown)
            {
                return Error(HttpStatusCode.BadRequest, "INVALID_FIELD", $"No such column '{unknown}' on entity '{type}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.");
            }

            var row = new JsonObject { ["attributes"] = record["attributes"]?.DeepClone() };
            foreach (var name in names)
            {
                row[name] = SoqlCondition.Field(record, name)?.DeepClone();
            }

            return Answers.Json(HttpStatusCode.OK, row.ToJsonString());
        }
    }

    private ResponseMessage Update(RestInput input, string type, string id)
    {
        if (ParseFields(input.Body) is not { } changes)
        {
            return Error(HttpStatusCode.BadRequest, "JSON_PARSER_ERROR", "The request body is not a JSON object");
        }

        changes.Remove("Id");
        lock (_lock)
        {
            if (Find(type, id) is not { } record)
            {
                return Answers.Json(HttpStatusCode.NotFound, Answers.NotFound);
            }

            if (CheckSave(type, changes, record) is { } error)
            {
                return Error(HttpStatusCode.BadRequest, error.Code, error.Message, error.Fields);
            }

            Apply(record, changes);
            return Answers.Empty(HttpStatusCode.NoContent);
        }
    }

    private static void Apply(JsonObject record, JsonObject changes)
    {
        foreach (var (name, value) in changes)
        {
            var key = record.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)) ?? name;
            record[key] = value?.DeepClone();
        }
    }

    private ResponseMessage Delete(string type, string id)
    {
        lock (_lock)
        {
            return Remove(type, id) is null
                ? Answers.Json(HttpStatusCode.NotFound, Answers.NotFound)
                : Answers.Empty(HttpStatusCode.NoContent);
        }
    }

    /// <summary>Moves a record to the recycle bin, where only <c>queryAll</c> sees it; null when there is no such record.</summary>
    private JsonObject? Remove(string? type, string id)
    {
        foreach (var (name, list) in _records)
        {
            if (type is not null && !string.Equals(name, type, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var record = list.FirstOrDefault(r => r["Id"]?.GetValue<string>() == id);
            if (record is not null)
            {
                list.Remove(record);
                record["IsDeleted"] = true;
                if (!_deleted.TryGetValue(name, out var bin))
                {
                    _deleted[name] = bin = [];
                }

                bin.Add(record);
                return record;
            }
        }

        return null;
    }

    private bool IsDeleted(string id) => _deleted.Values.Any(bin => bin.Any(r => r["Id"]?.GetValue<string>() == id));

    private ResponseMessage Upsert(RestInput input, string type, string field, string value)
    {
        if (ParseFields(input.Body) is not { } fields)
        {
            return Error(HttpStatusCode.BadRequest, "JSON_PARSER_ERROR", "The request body is not a JSON object");
        }

        fields.Remove("Id");
        lock (_lock)
        {
            var byId = string.Equals(field, "Id", StringComparison.OrdinalIgnoreCase);
            if (!byId && !_externalIds.GetValueOrDefault(type, []).Contains(field))
            {
                return Error(HttpStatusCode.NotFound, "NOT_FOUND", $"Provided external ID field does not exist or is not accessible: {field}");
            }

            var matches = _records.GetValueOrDefault(type, []).Where(r => SameText(SoqlCondition.Field(r, field), value)).ToList();
            if (matches.Count > 1)
            {
                return Answers.Json(HttpStatusCode.MultipleChoices, new JsonArray(matches.Select(m => (JsonNode?)$"/services/data/{input.Version}/sobjects/{type}/{m["Id"]}").ToArray()).ToJsonString());
            }

            if (matches.Count == 0)
            {
                if (byId)
                {
                    return Answers.Json(HttpStatusCode.NotFound, Answers.NotFound);
                }

                fields[field] = value;
                if (CheckSave(type, fields, existing: null) is { } createError)
                {
                    return Error(HttpStatusCode.BadRequest, createError.Code, createError.Message, createError.Fields);
                }

                var id = Store(type, fields);
                return Answers.Json(HttpStatusCode.Created, $$"""{"id":"{{id}}","success":true,"errors":[],"created":true}""");
            }

            var record = matches[0];
            if (CheckSave(type, fields, record) is { } updateError)
            {
                return Error(HttpStatusCode.BadRequest, updateError.Code, updateError.Message, updateError.Fields);
            }

            Apply(record, fields);

            // docs/salesforce-behaviour.md#records-and-upsert: from API 46.0 an update answers 200 with the created flag.
            return input.VersionNumber >= 46m
                ? Answers.Json(HttpStatusCode.OK, $$"""{"id":"{{record["Id"]}}","success":true,"errors":[],"created":false}""")
                : Answers.Empty(HttpStatusCode.NoContent);
        }
    }

    private ResponseMessage SaveCollection(RestInput input, bool update)
    {
        if (ParseFields(input.Body) is not { } request || request["records"] is not JsonArray records)
        {
            return Error(HttpStatusCode.BadRequest, "JSON_PARSER_ERROR", "The request body must be an object with a records array");
        }

        if (records.Count > MaxCollectionRecords)
        {
            return Error(HttpStatusCode.BadRequest, "EXCEEDED_ID_LIMIT", $"record limit reached. cannot submit more than {MaxCollectionRecords} records into this call");
        }

        var allOrNone = request["allOrNone"] is JsonValue flag && flag.TryGetValue<bool>(out var b) && b;
        lock (_lock)
        {
            var plans = new List<(string? Type, JsonObject Fields, JsonObject? Existing, JsonObject? Error)>();
            foreach (var node in records)
            {
                var fields = node?.DeepClone() as JsonObject ?? [];
                var type = fields["attributes"]?["type"]?.GetValue<string>();
                fields.Remove("attributes");
                var id = fields["Id"]?.GetValue<string>();
                fields.Remove("Id");
                JsonObject? existing = null;
                JsonObject? error = null;
                if (type is null)
                {
                    error = ErrorObject("statusCode", "INVALID_TYPE", "Must send a concrete entity type.", []);
                }
                else if (update && (id is null || (existing = Find(type, id)) is null))
                {
                    error = ErrorObject("statusCode", id is not null && IsDeleted(id) ? "ENTITY_IS_DELETED" : "NOT_FOUND", "entity is deleted or does not exist", []);
                }
                else if (CheckSave(type, fields, existing) is { } check)
                {
                    error = ErrorObject("statusCode", check.Code, check.Message, check.Fields);
                }

                plans.Add((type, fields, existing, error));
            }

            var rollBack = allOrNone && plans.Any(p => p.Error is not null);
            var results = new JsonArray();
            foreach (var (type, fields, existing, error) in plans)
            {
                if (error is not null || rollBack)
                {
                    results.Add(new JsonObject
                    {
                        ["success"] = false,
                        ["errors"] = new JsonArray(error ?? ErrorObject("statusCode", "ALL_OR_NONE_OPERATION_ROLLED_BACK", "Record rolled back because not all records were valid and the request was using AllOrNone header", [])),
                    });
                    continue;
                }

                string id;
                if (existing is not null)
                {
                    Apply(existing, fields);
                    id = existing["Id"]!.GetValue<string>();
                }
                else
                {
                    id = Store(type!, fields);
                }

                results.Add(new JsonObject { ["id"] = id, ["success"] = true, ["errors"] = new JsonArray() });
            }

            return Answers.Json(HttpStatusCode.OK, results.ToJsonString());
        }
    }

    private ResponseMessage DeleteCollection(RestInput input)
    {
        var query = Form.Parse(input.Query);
        var ids = (query.GetValueOrDefault("ids") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (ids.Length is 0 or > MaxCollectionRecords)
        {
            return Error(HttpStatusCode.BadRequest, "EXCEEDED_ID_LIMIT", $"Provide 1 to {MaxCollectionRecords} ids");
        }

        var allOrNone = string.Equals(query.GetValueOrDefault("allOrNone"), "true", StringComparison.OrdinalIgnoreCase);
        lock (_lock)
        {
            var missing = ids.Where(id => !_records.Values.Any(list => list.Any(r => r["Id"]?.GetValue<string>() == id))).ToHashSet(StringComparer.Ordinal);
            var rollBack = allOrNone && missing.Count > 0;
            var results = new JsonArray();
            foreach (var id in ids)
            {
                if (missing.Contains(id) || rollBack)
                {
                    var error = missing.Contains(id)
                        ? ErrorObject("statusCode", IsDeleted(id) ? "ENTITY_IS_DELETED" : "NOT_FOUND", "entity is deleted or does not exist", [])
                        : ErrorObject("statusCode", "ALL_OR_NONE_OPERATION_ROLLED_BACK", "Record rolled back because not all records were valid and the request was using AllOrNone header", []);
                    results.Add(new JsonObject { ["id"] = id, ["success"] = false, ["errors"] = new JsonArray(error) });
                    continue;
                }

                Remove(type: null, id);
                results.Add(new JsonObject { ["id"] = id, ["success"] = true, ["errors"] = new JsonArray() });
            }

            return Answers.Json(HttpStatusCode.OK, results.ToJsonString());
        }
    }

    private ResponseMessage ReadCollection(RestInput input, string type)
    {
        var query = Form.Parse(input.Query);
        var ids = (query.GetValueOrDefault("ids") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var fields = (query.GetValueOrDefault("fields") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (ids.Length is 0 or > MaxCollectionRecords || fields.Length == 0)
        {
            return Error(HttpStatusCode.BadRequest, "INVALID_FIELD", "Provide 1 to 200 ids and at least one field");
        }

        lock (_lock)
        {
            if (UnknownField(type, fields) is { } unknown)
            {
                return Error(HttpStatusCode.BadRequest, "INVALID_FIELD", $"No such column '{unknown}' on entity '{type}'.");
            }

            var records = new JsonArray();
            foreach (var id in ids)
            {
                JsonObject? row = null;
                if (Find(type, id) is { } record)
                {
                    row = new JsonObject { ["attributes"] = record["attributes"]?.DeepClone() };
                    foreach (var field in fields)
                    {
                        row[field] = SoqlCondition.Field(record, field)?.DeepClone();
                    }
                }

                records.Add(row);
            }

            return Answers.Json(HttpStatusCode.OK, records.ToJsonString());
        }
    }

    [GeneratedRegex("@\\{(?<ref>[A-Za-z0-9_]+)\\.(?<path>[^}]+)\\}")]
    private static partial Regex CompositeReference();

    [GeneratedRegex("^/services/data/(?<version>v\\d+\\.\\d)(?<rest>/[^?]*)?(\\?(?<query>.*))?$")]
    private static partial Regex CompositeUrl();

    /// <summary>Runs subrequests in order over the store, resolving <c>@{ref.path}</c>; with allOrNone, a failure restores the store.</summary>
    private ResponseMessage Composite(RestInput input)
    {
        if (ParseFields(input.Body) is not { } request || request["compositeRequest"] is not JsonArray subrequests)
        {
            return Error(HttpStatusCode.BadRequest, "JSON_PARSER_ERROR", "The request body must be an object with a compositeRequest array");
        }

        if (subrequests.Count is 0 or > MaxCompositeSubrequests)
        {
            return Error(HttpStatusCode.BadRequest, "INVALID_BATCH_REQUEST", $"A composite request holds 1 to {MaxCompositeSubrequests} subrequests");
        }

        var allOrNone = request["allOrNone"] is JsonValue flag && flag.TryGetValue<bool>(out var b) && b;
        lock (_lock)
        {
            var snapshot = allOrNone ? Snapshot() : default;
            var bodies = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
            var results = new List<JsonObject>();
            var failed = false;
            foreach (var node in subrequests)
            {
                var referenceId = node?["referenceId"]?.GetValue<string>() ?? string.Empty;
                if (failed && allOrNone)
                {
                    results.Add(Halted(referenceId, "The transaction was rolled back since another operation in the same transaction failed."));
                    continue;
                }

                var (status, body) = RunSubrequest(node as JsonObject, bodies);
                bodies[referenceId] = status is >= 200 and < 300 ? body : null;
                var result = new JsonObject { ["body"] = body, ["httpHeaders"] = new JsonObject(), ["httpStatusCode"] = status, ["referenceId"] = referenceId };
                if (status == 201 && body?["id"] is JsonNode id && node?["url"]?.GetValue<string>() is { } url)
                {
                    result["httpHeaders"]!["Location"] = url.TrimEnd('/') + "/" + id.GetValue<string>();
                }

                results.Add(result);
                failed |= status >= 400;
            }

            if (failed && allOrNone)
            {
                Restore(snapshot);
                for (var i = 0; i < results.Count; i++)
                {
                    if (results[i]["httpStatusCode"]!.GetValue<int>() < 400)
                    {
                        results[i] = Halted(results[i]["referenceId"]!.GetValue<string>(), "The transaction was rolled back since another operation in the same transaction failed.");
                    }
                }
            }

            return Answers.Json(HttpStatusCode.OK, new JsonObject { ["compositeResponse"] = new JsonArray(results.ToArray<JsonNode?>()) }.ToJsonString());
        }
    }

    private static JsonObject Halted(string referenceId, string message) => new()
    {
        ["body"] = new JsonArray(ErrorObject("errorCode", "PROCESSING_HALTED", message, [])),
        ["httpHeaders"] = new JsonObject(),
        ["httpStatusCode"] = 400,
        ["referenceId"] = referenceId,
    };

    private (int Status, JsonNode? Body) RunSubrequest(JsonObject? sub, Dictionary<string, JsonNode?> bodies)
    {
        var method = sub?["method"]?.GetValue<string>()?.ToUpperInvariant() ?? string.Empty;
        string? unresolved = null;
        string Resolve(string text) => CompositeReference().Replace(text, m =>
        {
            var value = bodies.GetValueOrDefault(m.Groups["ref"].Value) is { } body ? Navigate(body, m.Groups["path"].Value) : null;
            if (value is null)
            {
                unresolved ??= m.Value;
                return string.Empty;
            }

            return value;
        });

        var url = Resolve(sub?["url"]?.GetValue<string>() ?? string.Empty);
        var body = sub?["body"] is { } b ? Resolve(b.ToJsonString()) : null;
        if (unresolved is not null)
        {
            return (400, new JsonArray(ErrorObject("errorCode", "PROCESSING_HALTED", $"Invalid reference specified. No value for {unresolved} found.", [])));
        }

        var parsed = CompositeUrl().Match(url);
        if (!parsed.Success)
        {
            return (400, new JsonArray(ErrorObject("errorCode", "INVALID_URL", $"The url {url} is not a REST data API resource.", [])));
        }

        var segments = parsed.Groups["rest"].Value.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        var answer = Dispatch(new RestInput(method, parsed.Groups["version"].Value, segments, parsed.Groups["query"].Value, body, "application/json", null));
        var text = answer.BodyData?.BodyAsString;
        return (answer.StatusCode is int s ? s : 200, string.IsNullOrEmpty(text) ? null : JsonNode.Parse(text));
    }

    /// <summary>Reads <c>id</c> or <c>records[0].Id</c> from an earlier subrequest's body.</summary>
    private static string? Navigate(JsonNode body, string path)
    {
        JsonNode? node = body;
        foreach (var part in path.Split('.'))
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            node = node is JsonObject o ? SoqlCondition.Field(o, bracket < 0 ? part : part[..bracket]) : null;
            if (bracket >= 0 && int.TryParse(part[(bracket + 1)..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                node = node is JsonArray a && index < a.Count ? a[index] : null;
            }
        }

        return node is JsonValue value ? value.ToString() : null;
    }

    private (Dictionary<string, List<JsonObject>> Records, Dictionary<string, List<JsonObject>> Deleted) Snapshot() =>
        (Copy(_records), Copy(_deleted));

    private static Dictionary<string, List<JsonObject>> Copy(Dictionary<string, List<JsonObject>> store) =>
        store.ToDictionary(p => p.Key, p => p.Value.Select(r => (JsonObject)r.DeepClone()).ToList(), StringComparer.OrdinalIgnoreCase);

    private void Restore((Dictionary<string, List<JsonObject>> Records, Dictionary<string, List<JsonObject>> Deleted) snapshot)
    {
        _records.Clear();
        _deleted.Clear();
        foreach (var (type, list) in snapshot.Records)
        {
            _records[type] = list;
        }

        foreach (var (type, list) in snapshot.Deleted)
        {
            _deleted[type] = list;
        }
    }

    private const string RawPathHeader = "X-FakeSalesforceOrg-Raw-Path";

    /// <summary>Keeps the path as sent, so that an escaped <c>/</c> in an external id value stays inside its segment.</summary>
    private static Task KeepRawPathAsync(HttpContext context, Func<Task> next)
    {
        if (context.Features.Get<IHttpRequestFeature>()?.RawTarget is { } target)
        {
            var query = target.IndexOf('?', StringComparison.Ordinal);
            context.Request.Headers[RawPathHeader] = query < 0 ? target : target[..query];
        }

        return next();
    }

    private static RestInput ToRestInput(IRequestMessage request, string version, string rest)
    {
        if (Header(request, RawPathHeader) is { } raw && RestPath().Match(raw) is { Success: true } match)
        {
            rest = match.Groups["rest"].Value;
        }

        return new(request.Method.ToUpperInvariant(), version,
            rest.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray(),
            request.RawQuery, Body(request), Header(request, "Content-Type"), Header(request, "Sforce-Query-Options"));
    }
}
