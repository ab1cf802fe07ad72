using System.Security.Cryptography;
using System.Text;
using SalesforceJwt.Internal;

namespace SalesforceJwt.Tokens;

/// <summary>
/// A store that lets the instances of an app (pods, workers, servers) share one token per connection and user, so that
/// a fleet makes one login per session end instead of one per instance. Register one implementation as a singleton
/// (the <c>SalesforceJwt.StackExchangeRedis</c> package does) and every connection uses it.
/// </summary>
/// <remarks>
/// The token provider consults the store only when it has no usable token of its own (a first request, a rejected
/// token, a renewal), never on the cached-token path. Every call is optional: one that fails or takes longer than
/// <see cref="OperationTimeout"/> is logged as a warning and counted, and the instance logs in on its own. Entries are
/// addressed by an opaque entry id, a hex SHA-256 of the login URL, consumer key, username and audience: nothing in it
/// is readable. Implementations protect what they store; a token is a password.
/// </remarks>
public abstract class SalesforceSharedTokenStore
{
    private Action<string, string>? _tokenInvalidated;

    /// <summary>Initializes a new instance of the <see cref="SalesforceSharedTokenStore"/> class.</summary>
    protected SalesforceSharedTokenStore()
    {
    }

    /// <summary>Gets the longest any one call to the store may take before the provider goes on without it.</summary>
    /// <value>1 second unless overridden.</value>
    public virtual TimeSpan OperationTimeout => TimeSpan.FromSeconds(1);

    /// <summary>Gets how long an instance waits for the token that another instance, holding the lock, is fetching, before it logs in on its own.</summary>
    /// <value>10 seconds unless overridden.</value>
    public virtual TimeSpan LockWaitTimeout => TimeSpan.FromSeconds(10);

    /// <summary>Reads the shared token of an entry.</summary>
    /// <param name="entryId">The entry id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The shared token, or <see langword="null"/> when there is none.</returns>
    public abstract ValueTask<SalesforceSharedToken?> GetAsync(string entryId, CancellationToken cancellationToken = default);

    /// <summary>Takes the entry's lock for a time, if nobody holds it: the holder is the one instance that fetches the entry's next token.</summary>
    /// <param name="entryId">The entry id.</param>
    /// <param name="lease">How long the lock is held at most, should its holder never release it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A random owner token to release the lock with, or <see langword="null"/> when another instance holds it.</returns>
    public abstract ValueTask<string?> TryAcquireLockAsync(string entryId, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>Releases the entry's lock if <paramref name="ownerToken"/> still holds it; a lock that expired and was taken by another instance is left alone.</summary>
    /// <param name="entryId">The entry id.</param>
    /// <param name="ownerToken">What <see cref="TryAcquireLockAsync"/> returned.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the lock is released.</returns>
    public abstract ValueTask ReleaseLockAsync(string entryId, string ownerToken, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="replacement"/> only if the entry still holds <paramref name="expected"/> (or, when
    /// <paramref name="expected"/> is <see langword="null"/>, holds nothing), in one atomic step; when a token was
    /// replaced, tells the other instances that it is no longer current (see <see cref="OnTokenInvalidated"/>).
    /// </summary>
    /// <param name="entryId">The entry id.</param>
    /// <param name="expected">The token the caller saw in the entry, or <see langword="null"/> if it saw none.</param>
    /// <param name="replacement">The new shared token.</param>
    /// <param name="timeToLive">How long the entry is kept: never longer than the session's predicted life.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> if the entry now holds <paramref name="replacement"/>.</returns>
    public abstract ValueTask<bool> ReplaceIfCurrentAsync(string entryId, SalesforceToken? expected, SalesforceSharedToken replacement, TimeSpan timeToLive, CancellationToken cancellationToken = default);

    /// <summary>
    /// Tells this instance's provider that another instance replaced the token with <paramref name="tokenFingerprint"/>
    /// in the entry <paramref name="entryId"/>: the provider drops that token if it still holds it, and takes the
    /// replacement from the store on its next request, without a login of its own.
    /// </summary>
    /// <param name="entryId">The entry id.</param>
    /// <param name="tokenFingerprint">The <see cref="Fingerprint"/> of the replaced token.</param>
    protected void OnTokenInvalidated(string entryId, string tokenFingerprint)
    {
        Guard.NotNullOrEmpty(entryId);
        Guard.NotNullOrEmpty(tokenFingerprint);
        Volatile.Read(ref _tokenInvalidated)?.Invoke(entryId, tokenFingerprint);
    }

    /// <summary>Gets a fingerprint of a token that identifies it without revealing it: the hex SHA-256 of its access token.</summary>
    /// <param name="token">The token.</param>
    /// <returns>64 lower-case hex digits.</returns>
    protected static string Fingerprint(SalesforceToken token)
    {
        Guard.NotNull(token);
        return HexSha256(token.AccessToken);
    }

    /// <summary>Subscribes the provider to <see cref="OnTokenInvalidated"/>.</summary>
    internal void AddInvalidationHandler(Action<string, string> handler)
    {
        Action<string, string>? current, updated;
        do
        {
            current = Volatile.Read(ref _tokenInvalidated);
            updated = (Action<string, string>)Delegate.Combine(current, handler);
        }
        while (Interlocked.CompareExchange(ref _tokenInvalidated, updated, current) != current);
    }

    /// <summary>Unsubscribes a handler added with <see cref="AddInvalidationHandler"/>.</summary>
    internal void RemoveInvalidationHandler(Action<string, string> handler)
    {
        Action<string, string>? current, updated;
        do
        {
            current = Volatile.Read(ref _tokenInvalidated);
            updated = (Action<string, string>?)Delegate.Remove(current, handler);
        }
        while (Interlocked.CompareExchange(ref _tokenInvalidated, updated, current) != current);
    }

    internal static string TokenFingerprint(SalesforceToken token) => HexSha256(token.AccessToken);

    internal static string HexSha256(string text)
    {
#if NET8_0_OR_GREATER
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
#else
        byte[] hash;
        using (var sha = SHA256.Create())
        {
            hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
        }
#endif

        var hex = new StringBuilder(hash.Length * 2);
        foreach (var b in hash)
        {
            hex.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return hex.ToString();
    }
}
