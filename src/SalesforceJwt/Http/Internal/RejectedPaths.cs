using System.Collections.Concurrent;
using SalesforceJwt.Tokens;

namespace SalesforceJwt.Http.Internal;

/// <summary>
/// Remembers the paths whose session error survived a brand-new token, per connection and user, so that a path that
/// always answers 401 costs one re-authentication per token and pause rather than one per call. Bounded in size.
/// </summary>
internal sealed class RejectedPaths
{
    private const int MaxEntries = 1024;

    private readonly ConcurrentDictionary<Key, Entry> _entries = new();

    /// <summary>Notes that <paramref name="path"/> refused <paramref name="token"/>, issued to replace an expired one.</summary>
    public void Add(string connection, string? username, string path, SalesforceToken token, DateTimeOffset until)
    {
        if (_entries.Count >= MaxEntries)
        {
            // A flood of distinct failing paths: forget them all rather than grow; the login budget still bounds logins.
            _entries.Clear();
        }

        _entries[new Key(connection, Normalize(username), path)] = new Entry(token, until);
    }

    /// <summary>Returns until when the path is not re-authenticated for this token, or <see langword="null"/> when it may be.</summary>
    public DateTimeOffset? IsRejected(string connection, string? username, string path, SalesforceToken token, DateTimeOffset now)
    {
        if (_entries.IsEmpty || !_entries.TryGetValue(new Key(connection, Normalize(username), path), out var entry))
        {
            return null;
        }

        return ReferenceEquals(entry.Token, token) && now < entry.Until ? entry.Until : null;
    }

    private static string Normalize(string? username) => username?.Trim().ToUpperInvariant() ?? string.Empty;

    private readonly record struct Key(string Connection, string Username, string Path);

    private sealed record Entry(SalesforceToken Token, DateTimeOffset Until);
}
