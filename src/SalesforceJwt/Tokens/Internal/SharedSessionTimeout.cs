using System.Globalization;

namespace SalesforceJwt.Tokens.Internal;

/// <summary>
/// What a connection's <see cref="SessionTimeoutEstimator"/> knows, as the instances of a fleet share it with the token
/// (<see cref="SalesforceSharedToken.SessionTimeoutEvidence"/>): the candidate sets and flags, the timeout read from
/// Salesforce, the forced-end count, and when each last changed. Per-token evidence stays with each instance.
/// </summary>
/// <param name="Set">The candidates that fit the evidence (bit i for <see cref="SessionTimeoutEstimator.Candidates"/>[i]).</param>
/// <param name="Bounded">Whether a session end has bounded <paramref name="Set"/> from above.</param>
/// <param name="Shadow">The candidates a lowered timeout would allow, since the last forced end.</param>
/// <param name="HasShadow">Whether <paramref name="Shadow"/> is open.</param>
/// <param name="ForcedEnds">Session ends that fitted no candidate.</param>
/// <param name="ReadTicks">The timeout read from <c>AuthSession</c>, in ticks; 0 when none.</param>
/// <param name="ReadAt">When it was read, in UTC ticks.</param>
/// <param name="ChangedAt">When the evidence last changed the sets, in UTC ticks; 0 when it never did.</param>
internal readonly record struct SharedSessionTimeout(int Set, bool Bounded, int Shadow, bool HasShadow, int ForcedEnds, long ReadTicks, long ReadAt, long ChangedAt)
{
    private const string Version = "1";

    /// <summary>Gets a value indicating whether there is anything to share.</summary>
    public bool IsEmpty => ChangedAt == 0 && ReadAt == 0 && ForcedEnds == 0;

    /// <summary>
    /// Combines what two instances know. Both sets hold the real timeout when both are right, so they are intersected;
    /// when they have nothing in common, the timeout changed (or one side was misled) and the newer set wins, with its
    /// second set. Flags are or-ed, the forced-end count is the larger, and the newer read wins. Commutative and
    /// idempotent, so instances that merge each other's states end up with the same one.
    /// </summary>
    public static SharedSessionTimeout Merge(SharedSessionTimeout local, SharedSessionTimeout remote)
    {
        int set, shadow;
        bool bounded, hasShadow;
        long changedAt;
        var both = local.Set & remote.Set;
        if (both != 0)
        {
            set = both;
            bounded = local.Bounded || remote.Bounded;
            changedAt = Math.Max(local.ChangedAt, remote.ChangedAt);
            var newer = IsNewer(remote, local) ? remote : local;
            (shadow, hasShadow) = (local.HasShadow && local.Shadow != 0, remote.HasShadow && remote.Shadow != 0) switch
            {
                (true, true) when (local.Shadow & remote.Shadow) != 0 => (local.Shadow & remote.Shadow, true),
                (true, true) => (newer.Shadow, true),
                (true, false) => (local.Shadow, true),
                (false, true) => (remote.Shadow, true),
                _ => (0, false),
            };
        }
        else
        {
            var newer = IsNewer(remote, local) ? remote : local;
            (set, bounded, shadow, hasShadow, changedAt) = (newer.Set, newer.Bounded, newer.Shadow, newer.HasShadow && newer.Shadow != 0, newer.ChangedAt);
        }

        shadow = hasShadow ? shadow : 0;
        var read = remote.ReadAt > local.ReadAt || (remote.ReadAt == local.ReadAt && remote.ReadTicks > local.ReadTicks) ? remote : local;
        return new SharedSessionTimeout(set, bounded, shadow, hasShadow, Math.Max(local.ForcedEnds, remote.ForcedEnds), read.ReadTicks, read.ReadAt, changedAt);
    }

    /// <summary>Whether <paramref name="a"/> changed later than <paramref name="b"/>; on a tie, the smaller set, so both sides pick the same one.</summary>
    private static bool IsNewer(SharedSessionTimeout a, SharedSessionTimeout b) =>
        a.ChangedAt > b.ChangedAt || (a.ChangedAt == b.ChangedAt && (a.Set < b.Set || (a.Set == b.Set && a.Shadow < b.Shadow)));

    /// <summary>Writes the state compactly: <c>1;set;flags;shadow;forced;read;readAt;changedAt</c>, invariant decimal numbers.</summary>
    public string Format() => string.Join(";",
        Version,
        Set.ToString(CultureInfo.InvariantCulture),
        ((Bounded ? 1 : 0) | (HasShadow ? 2 : 0)).ToString(CultureInfo.InvariantCulture),
        Shadow.ToString(CultureInfo.InvariantCulture),
        ForcedEnds.ToString(CultureInfo.InvariantCulture),
        ReadTicks.ToString(CultureInfo.InvariantCulture),
        ReadAt.ToString(CultureInfo.InvariantCulture),
        ChangedAt.ToString(CultureInfo.InvariantCulture));

    /// <summary>Reads what <see cref="Format"/> wrote; anything else (another version, a damaged value) is ignored, which costs only relearning.</summary>
    public static SharedSessionTimeout? Parse(string? text)
    {
        var parts = text?.Split(';');
        if (parts is not { Length: 8 } || parts[0] != Version
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var set)
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var flags)
            || !int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var shadow)
            || !int.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out var forced)
            || !long.TryParse(parts[5], NumberStyles.None, CultureInfo.InvariantCulture, out var read)
            || !long.TryParse(parts[6], NumberStyles.None, CultureInfo.InvariantCulture, out var readAt)
            || !long.TryParse(parts[7], NumberStyles.None, CultureInfo.InvariantCulture, out var changedAt)
            || set is 0 or > SessionTimeoutEstimator.AllCandidates || shadow > SessionTimeoutEstimator.AllCandidates || flags > 3)
        {
            return null;
        }

        return new SharedSessionTimeout(set, (flags & 1) != 0, shadow, (flags & 2) != 0 && shadow != 0, forced, read, readAt, changedAt);
    }
}
