using System.Collections.Concurrent;

namespace SalesforceJwt.Tokens.Internal;

/// <summary>
/// The entries of one connection, one per user, bounded: entries idle for longer than the idle time are dropped, and
/// past <see cref="SalesforceJwtOptions.MaxCachedUsers"/> the least recently used go first. An entry with an exchange in
/// flight is never dropped. The connection's own user is one entry like any other.
/// </summary>
internal sealed class TokenEntryCache
{
    private readonly ConcurrentDictionary<string, TokenEntry> _entries = new(StringComparer.OrdinalIgnoreCase);
    private readonly object _evictionLock = new();

    public int Count => _entries.Count;

    public IEnumerable<TokenEntry> Entries => _entries.Values;

    /// <summary>Gets the entry of <paramref name="username"/> (already trimmed), creating it, and evicting others when over the cap.</summary>
    public TokenEntry Get(string username, DateTimeOffset now, int maxEntries, TimeSpan idle)
    {
        if (!_entries.TryGetValue(username, out var entry))
        {
            entry = _entries.GetOrAdd(username, static name => new TokenEntry(name));
            entry.LastUsed = now;
            if (_entries.Count > maxEntries)
            {
                Evict(now, maxEntries, idle, keep: entry);
            }
        }
        else
        {
            entry.Touch(now);
        }

        return entry;
    }

    /// <summary>Drops idle entries, then the least recently used, down to nine tenths of the cap so eviction is rare.</summary>
    private void Evict(DateTimeOffset now, int maxEntries, TimeSpan idle, TokenEntry keep)
    {
        if (!Monitor.TryEnter(_evictionLock))
        {
            return;
        }

        try
        {
            var target = Math.Max(1, maxEntries - (maxEntries / 10));
            var candidates = _entries.Values.Where(e => !ReferenceEquals(e, keep) && e.Pending is null).ToList();
            foreach (var entry in candidates.Where(e => now - e.LastUsed > idle))
            {
                Remove(entry);
            }

            var excess = _entries.Count - target;
            if (excess > 0)
            {
                foreach (var entry in candidates.Where(e => now - e.LastUsed <= idle).OrderBy(e => e.LastUsed).Take(excess))
                {
                    Remove(entry);
                }
            }
        }
        finally
        {
            Monitor.Exit(_evictionLock);
        }
    }

    /// <summary>Marks every entry retired, when the connection they belong to is replaced.</summary>
    public void RetireAll()
    {
        foreach (var entry in _entries.Values)
        {
            entry.Retired = true;
        }
    }

    private void Remove(TokenEntry entry)
    {
        if (((ICollection<KeyValuePair<string, TokenEntry>>)_entries).Remove(new KeyValuePair<string, TokenEntry>(entry.Username, entry)))
        {
            entry.Retired = true;
        }
    }
}
