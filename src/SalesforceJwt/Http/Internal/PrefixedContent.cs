using System.Net;

namespace SalesforceJwt.Http.Internal;

/// <summary>
/// A response body whose start was read to classify it: the caller reads the whole body as it came, the prefix from
/// memory and the rest from the network, with the original content headers.
/// </summary>
internal sealed class PrefixedContent : HttpContent
{
    private readonly HttpContent _original;
    private readonly Stream _stream;
    private bool _read;

    public PrefixedContent(HttpContent original, byte[] prefix, int prefixLength, Stream rest)
    {
        _original = original;
        _stream = new PrefixedStream(prefix, prefixLength, rest);
        foreach (var header in original.Headers)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await TakeStream().CopyToAsync(stream).ConfigureAwait(false);
    }

    protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult(TakeStream());

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    private Stream TakeStream()
    {
        if (_read)
        {
            throw new InvalidOperationException("The response body has already been read; it streams from the network and can be read once.");
        }

        _read = true;
        return _stream;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stream.Dispose();
            _original.Dispose();
        }

        base.Dispose(disposing);
    }
}
