using System.Security.Cryptography;

namespace SalesforceJwt.Tests.TestSupport;

/// <summary>
/// A remote signer stand-in: it signs with a key held only here, as a vault would, counts its calls, keeps what it
/// signed and the tokens it was given, and can be told to fail, hang or sign with the wrong key.
/// </summary>
internal sealed class CountingSigner(RSA key) : ISalesforceAssertionSigner
{
    private int _calls;

    public enum Mode
    {
        Sign,
        Throw,
        HangUntilCancelled,
        HangIgnoringCancellation,
        ReturnDigest,
    }

    public Mode Behaviour { get; set; } = Mode.Sign;

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Completes on the first call, so a test can move the clock only once signing has started.</summary>
    public TaskCompletionSource Called { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public List<CancellationToken> Tokens { get; } = [];

    public async ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> signingInput, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        lock (Tokens)
        {
            Tokens.Add(cancellationToken);
        }

        Called.TrySetResult();
        switch (Behaviour)
        {
            case Mode.Throw:
                throw new InvalidOperationException("The vault refused: access denied to key 'salesforce-jwt'.");
            case Mode.HangUntilCancelled:
                var never = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
                using (cancellationToken.Register(() => never.TrySetCanceled(cancellationToken)))
                {
                    return await never.Task;
                }

            case Mode.HangIgnoringCancellation:
                return await new TaskCompletionSource<byte[]>().Task;
            case Mode.ReturnDigest:
                return SHA256.HashData(signingInput.Span);
            default:
                return key.SignData(signingInput.ToArray(), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
    }
}
