using SalesforceJwt.Internal;

namespace SalesforceJwt.Http.Internal;

/// <summary>Reads the start of a response body, never more than a limit, whatever the server sends or claims.</summary>
internal static class BoundedBody
{
    /// <summary>The start of a body, and whether that was all of it.</summary>
    public readonly record struct Prefix(byte[] Buffer, int Length, bool IsComplete, Stream? Rest);

    /// <summary>
    /// Reads at most <paramref name="maxBytes"/> bytes. When the body is longer, <see cref="Prefix.Rest"/> is the
    /// stream positioned after the prefix; the caller owns it.
    /// </summary>
    public static async Task<Prefix> ReadPrefixAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[Math.Min(maxBytes, 16 * 1024)];
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length == maxBytes)
                    {
                        // Full: one more byte tells whether anything is left, without reading it past the limit.
                        var probe = new byte[1];
                        if (await ReadAsync(stream, probe, 0, 1, cancellationToken).ConfigureAwait(false) == 0)
                        {
                            stream.Dispose();
                            return new Prefix(buffer, length, IsComplete: true, Rest: null);
                        }

                        return new Prefix(buffer, length, IsComplete: false, Rest: new PrefixedStream(probe, 1, stream));
                    }

                    Array.Resize(ref buffer, (int)Math.Min(maxBytes, (long)buffer.Length * 2));
                }

                var read = await ReadAsync(stream, buffer, length, buffer.Length - length, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    stream.Dispose();
                    return new Prefix(buffer, length, IsComplete: true, Rest: null);
                }

                length += read;
            }
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private static Task<int> ReadAsync(Stream stream, byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
#if NET5_0_OR_GREATER
        stream.ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
#else
        stream.ReadAsync(buffer, offset, count, cancellationToken);
#endif
}
