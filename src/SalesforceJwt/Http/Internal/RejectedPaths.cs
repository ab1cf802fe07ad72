using System.Collections.Concurrent;
using SalesforceJwt.Tokens;

namespace SalesforceJwt.Http.Internal;

/// <summary>
/// Remembers the paths whose session error survived a brand-new token, per connection and user, so that a path that
/// always answers 401 costs one re-authentication per token and pause rather than one per call. Once a few distinct
/// paths have refused fresh tokens within one pause (a family of paths such as one Apex REST resource per record),
/// no path of that user re-authenticates until the pause ends. Bounded in size.
/// </summary>
internal sealed class RejectedPaths
{
    private const int MaxEntries = 1024;

    /// <summary>Distinct paths refusing one fresh token after which all paths stop re-authenticating for it.</summary>
    private const int PathsBeforeAll = 3;

    private readonly ConcurrentDictionary<Key, Entry> _entries = new();
    private readonly ConcurrentDictionary<Key, Family> _families = new();

    /// <summary>Notes that <paramref name="path"/> refused <paramref name="token"/>, issued to replace an expired one.</summary>
    public void Add(string connection, string? username, string path, SalesforceToken token, DateTimeOffset now, DateTimeOffset until)
    {
        if (_entries.Count >= MaxEntries)
        {
            // A flood of distinct failing paths: forget them all rather than grow; the family rule and the login budget still hold.
            _entries.Clear();
        }

        var user = Normalize(username);
        _entries[new Key(connection, user, path)] = new Entry(token, until);
        _families.AddOrUpdate(
            new Key(connection, user, string.Empty),
            _ => new Family(1, until),
            (_, family) => now < family.Until ? new Family(family.Paths + 1, until) : new Family(1, until));
    }

    /// <summary>Returns until when the path is not re-authenticated for this token, or <see langword="null"/> when it may be.</summary>
    public DateTimeOffset? IsRejected(string connection, string? username, string path, SalesforceToken token, DateTimeOffset now)
    {
        if (_entries.IsEmpty)
        {
            return null;
        }

        var user = Normalize(username);
        if (_entries.TryGetValue(new Key(connection, user, path), out var entry) && ReferenceEquals(entry.Token, token) && now < entry.Until)
        {
            return entry.Until;
        }

        // Each refusal replaced the token, so the family is counted per user, not per token.
        return _families.TryGetValue(new Key(connection, user, string.Empty), out var family)
            && family.Paths >= PathsBeforeAll && now < family.Until
            ? family.Until
            : null;
    }

    private static string Normalize(string? username) => username?.Trim().ToUpperInvariant() ?? string.Empty;

    private readonly record struct Key(string Connection, string Username, string Path);

    private sealed record Entry(SalesforceToken Token, DateTimeOffset Until);

    private sealed record Family(int Paths, DateTimeOffset Until);
}
