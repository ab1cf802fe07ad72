namespace SalesforceJwt.Rest.Internal;

/// <summary>A read-only view of a response stream that fails once more than a set number of bytes has been read.</summary>
internal sealed class BoundedReadStream(Stream inner, long limit) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
#if NET6_0_OR_GREATER
        Count(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken).ConfigureAwait(false));
#else
        Count(await inner.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false));
#endif

#if NET6_0_OR_GREATER
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));
#endif

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Count(int read)
    {
        _read += read;
        if (_read > limit)
        {
            throw new ResponseTooLargeException(limit);
        }

        return read;
    }
}

/// <summary>Thrown by <see cref="BoundedReadStream"/>; turned into a <see cref="SalesforceApiException"/> by the caller.</summary>
internal sealed class ResponseTooLargeException(long limit) : IOException($"The response is larger than {limit} bytes.")
{
    public long Limit { get; } = limit;
}
