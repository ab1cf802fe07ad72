namespace SalesforceJwt.Http.Internal;

internal static class HttpContentBuffering
{
    /// <summary>Buffers content up to a limit; .NET 8 has no cancellable overload.</summary>
    public static Task BufferAsync(this HttpContent content, long maxBytes, CancellationToken cancellationToken)
    {
#if NET9_0_OR_GREATER
        return content.LoadIntoBufferAsync(maxBytes, cancellationToken);
#else
        cancellationToken.ThrowIfCancellationRequested();
        return content.LoadIntoBufferAsync(maxBytes);
#endif
    }
}
