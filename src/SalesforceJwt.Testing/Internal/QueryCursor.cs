using System.Text.Json.Nodes;

namespace SalesforceJwt.Testing.Internal;

/// <summary>A query locator: the rows of a query that did not fit in one batch, kept until the last page is read or it idles out.</summary>
internal sealed class QueryCursor(List<JsonObject> rows, int batchSize, DateTimeOffset now)
{
    public List<JsonObject> Rows { get; } = rows;

    public int BatchSize { get; } = batchSize;

    public DateTimeOffset LastUsed { get; set; } = now;
}
