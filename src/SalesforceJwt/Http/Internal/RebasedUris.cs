using System.Collections.Concurrent;

namespace SalesforceJwt.Http.Internal;

/// <summary>
/// The instance URIs already built for a handler, by the URI the caller asked for: an app sends the same few paths again
/// and again, and building a <see cref="Uri"/> is most of what re-targeting a request costs (issue 12). Only URIs built by
/// <see cref="CredentialTarget"/> from the token's own origin, and checked against it, go in; one table per origin, bounded: when full, the table
/// starts again empty. <see cref="Uri"/> is immutable, so one instance serves every request that asks for it.
/// </summary>
/// <remarks>
/// In front of the table, a few recently found entries are kept in slots picked by the length and two characters of the
/// requested URI, so that a path asked for again costs one string comparison instead of hashing the whole URI. A slot
/// only ever holds an entry of its table, and a wrong pick costs the table lookup, nothing more.
/// </remarks>
internal sealed class RebasedUris
{
    /// <summary>How many URIs one table holds before it starts again.</summary>
    internal const int Capacity = 256;

    private const int RecentSlots = 64;

    private Table? _table;

    /// <summary>Finds the URI already built from <paramref name="origin"/> for <paramref name="requested"/>.</summary>
    public Uri? Find(Uri requested, string origin)
    {
        var table = Volatile.Read(ref _table);
        if (table is null || !string.Equals(table.Origin, origin, StringComparison.Ordinal))
        {
            return null;
        }

        var key = requested.OriginalString;
        ref var slot = ref table.Recent[SlotOf(key)];
        var recent = Volatile.Read(ref slot);
        if (recent is not null && string.Equals(recent.Requested, key, StringComparison.Ordinal))
        {
            return recent.Target;
        }

        if (!table.Uris.TryGetValue(key, out var entry))
        {
            return null;
        }

        Volatile.Write(ref slot, entry);
        return entry.Target;
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

        var key = requested.OriginalString;
        table.Uris.TryAdd(key, new Entry(key, target));
    }

    private static int SlotOf(string key) =>
        key.Length == 0 ? 0 : ((key.Length * 31) + (key[key.Length - 1] * 7) + key[key.Length / 2]) & (RecentSlots - 1);

    private sealed class Entry(string requested, Uri target)
    {
        public string Requested { get; } = requested;

        public Uri Target { get; } = target;
    }

    private sealed class Table(string origin)
    {
        public string Origin { get; } = origin;

        public ConcurrentDictionary<string, Entry> Uris { get; } = new(StringComparer.Ordinal);

        public Entry?[] Recent { get; } = new Entry?[RecentSlots];
    }
}
