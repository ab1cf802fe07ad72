using System.Collections.Concurrent;

namespace SalesforceJwt.Tests.TestSupport;

/// <summary>An in-memory primary handler: answers with a function and records what it was sent, bodies included.</summary>
internal sealed class StubHttpHandler(Func<HttpRequestMessage, string?, HttpResponseMessage> respond) : HttpMessageHandler
{
    public ConcurrentQueue<(HttpRequestMessage Request, string? Body)> Received { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Received.Enqueue((request, body));
        var response = respond(request, body);
        response.RequestMessage = request;
        return response;
    }
}
