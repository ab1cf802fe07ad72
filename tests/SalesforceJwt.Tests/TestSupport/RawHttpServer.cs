using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SalesforceJwt.Tests.TestSupport;

/// <summary>
/// A bare HTTP/1.1 server on 127.0.0.1 that answers each request with whatever the test writes to the socket: headers
/// then a stall, a body of any size, chunked bodies. For the server behaviour WireMock will not produce.
/// </summary>
internal sealed class RawHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<string, Stream, CancellationToken, Task> _respond;
    private long _bodyBytesWritten;

    /// <param name="respond">Writes the answer to a request, given its request line.</param>
    public RawHttpServer(Func<string, Stream, CancellationToken, Task> respond)
    {
        _respond = respond;
        _listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _ = AcceptLoopAsync();
    }

    public Uri Url { get; }

    /// <summary>Completes once a response's headers have been written.</summary>
    public TaskCompletionSource HeadersSent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Gets how many body bytes the server managed to write before the client stopped reading.</summary>
    public long BodyBytesWritten => Interlocked.Read(ref _bodyBytesWritten);

    public CancellationToken Stopping => _stop.Token;

    public static async Task WriteHeadersAsync(Stream stream, int status, string headers, CancellationToken cancellationToken)
    {
        var head = Encoding.ASCII.GetBytes($"HTTP/1.1 {status} X\r\nConnection: close\r\n{headers}\r\n");
        await stream.WriteAsync(head, cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    /// <summary>Writes <paramref name="total"/> bytes of <paramref name="fill"/> as a chunked body, counting what got out.</summary>
    public async Task WriteChunkedAsync(Stream stream, string start, long total, byte fill, CancellationToken cancellationToken)
    {
        var first = Encoding.UTF8.GetBytes(start);
        await WriteChunkAsync(stream, first, first.Length, cancellationToken);
        var chunk = new byte[16 * 1024];
        Array.Fill(chunk, fill);
        for (long sent = first.Length; sent < total;)
        {
            var n = (int)Math.Min(chunk.Length, total - sent);
            await WriteChunkAsync(stream, chunk, n, cancellationToken);
            sent += n;
        }

        await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), cancellationToken);
    }

    private async Task WriteChunkAsync(Stream stream, byte[] data, int length, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"{length:X}\r\n"), cancellationToken);
        await stream.WriteAsync(data.AsMemory(0, length), cancellationToken);
        await stream.WriteAsync("\r\n"u8.ToArray(), cancellationToken);
        Interlocked.Add(ref _bodyBytesWritten, length);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var requestLine = await ReadRequestAsync(stream, _stop.Token);
                await _respond(requestLine, stream, _stop.Token);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The client went away or the test ended.
            }
        }
    }

    private static async Task<string> ReadRequestAsync(Stream stream, CancellationToken cancellationToken)
    {
        var seen = new StringBuilder();
        var one = new byte[1];
        while (!seen.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                break;
            }

            seen.Append((char)one[0]);
        }

        var head = seen.ToString();
        var length = head.Split("\r\n").Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            .Select(p => int.Parse(p[1].Trim(), System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
        var body = new byte[length];
        for (var read = 0; read < length;)
        {
            var n = await stream.ReadAsync(body.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return head.Split("\r\n")[0];
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
