using System.Collections.Concurrent;

namespace SalesforceJwt.Http.Internal;

/// <summary>
/// The instance URIs already built for a handler, by the URI the caller asked for: an app sends the same few paths again
/// and again, and building a <see cref="Uri"/> is most of what re-targeting a request costs (issue 12). Only URIs built by
/// <see cref="CredentialTarget"/> from the token's own origin, and checked against it, go in; one table per origin, bounded: when full, the table
/// starts again empty. <see cref="Uri"/> is immutable, so one instance serves every request that asks for it.
/// </summary>
internal sealed class RebasedUris
{
    /// <summary>How many URIs one table holds before it starts again.</summary>
    internal const int Capacity = 256;

    private Table? _table;

    /// <summary>Finds the URI already built from <paramref name="origin"/> for <paramref name="requested"/>.</summary>
    public Uri? Find(Uri requested, string origin)
    {
        var table = Volatile.Read(ref _table);
        return table is not null && string.Equals(table.Origin, origin, StringComparison.Ordinal)
            && table.Uris.TryGetValue(requested.OriginalString, out var target)
            ? target
            : null;
    }

    /// <summary>Remembers <paramref name="target"/>, built from <paramref name="origin"/> for <paramref name="requested"/>.</summary>
    public void Add(Uri requested, string origin, Uri target)
    {
        var table = Volatile.Read(ref _table);
        if (table is null || !string.Equals(table.Origin, origin, StringComparison.Ordinal) || table.Uris.Count >= Capacity)
        {
            // A new instance (the org moved) or a full table: start again. Racing writers lose an entry at worst.
            table = new Table(origin);
            Volatile.Write(ref _table, table);
        }

        table.Uris.TryAdd(requested.OriginalString, target);
    }

    private sealed class Table(string origin)
    {
        public string Origin { get; } = origin;

        public ConcurrentDictionary<string, Uri> Uris { get; } = new(StringComparer.Ordinal);
    }
}
