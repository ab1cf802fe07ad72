using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace SalesforceJwt.Tests.TestSupport;

/// <summary>
/// The primary handler of a Salesforce client in security tests: it sees every request exactly as it would leave the
/// process and records where it went and which credentials it carried. Requests to the origins it is told about go to
/// the network; anything else gets a made-up 502 and never leaves the machine (no DNS, no traffic to other addresses).
/// </summary>
internal sealed class RecordingPrimaryHandler : HttpMessageHandler
{
    private readonly ConcurrentBag<Uri> _reachable = [];
    private readonly HttpMessageInvoker _network = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
    private int _expireNext;

    public ConcurrentQueue<Sent> Requests { get; } = new();

    /// <summary>Lets requests to <paramref name="origin"/> go to the network.</summary>
    public void Allow(Uri origin) => _reachable.Add(origin);

    /// <summary>Answers the next <paramref name="count"/> credentialed requests with Salesforce's expired-session 401, as if the session had just ended.</summary>
    public void ExpireNext(int count = 1) => Volatile.Write(ref _expireNext, count);

    public IEnumerable<Sent> Credentialed => Requests.Where(r => r.Authorization is not null || r.SessionHeader is not null);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        var sent = new Sent(
            uri,
            request.Headers.Authorization?.ToString(),
            request.Headers.TryGetValues("X-SFDC-Session", out var session) ? session.FirstOrDefault() : null);
        Requests.Enqueue(sent);

        if ((sent.Authorization is not null || sent.SessionHeader is not null) && Interlocked.Decrement(ref _expireNext) >= 0)
        {
            return new HttpResponseMessage(HttpStatusCode.Unauthorized)
            {
                RequestMessage = request,
                Content = new StringContent(SalesforceStub.ExpiredBody, Encoding.UTF8, "application/json"),
            };
        }

        if (!_reachable.Any(r => SameOrigin(r, uri)))
        {
            return new HttpResponseMessage(HttpStatusCode.BadGateway) { RequestMessage = request, Content = new StringContent("not on this machine") };
        }

        return await _network.SendAsync(request, cancellationToken);
    }

    public static bool SameOrigin(Uri a, Uri b) =>
        a.IsAbsoluteUri && b.IsAbsoluteUri && a.Scheme == b.Scheme && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _network.Dispose();
        }

        base.Dispose(disposing);
    }

    public sealed record Sent(Uri Uri, string? Authorization, string? SessionHeader);
}
