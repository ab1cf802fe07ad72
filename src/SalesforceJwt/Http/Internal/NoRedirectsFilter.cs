using Microsoft.Extensions.Http;

namespace SalesforceJwt.Http.Internal;

/// <summary>
/// Turns off automatic redirects on the primary handler of every client that carries a Salesforce token. It runs after
/// all of the client's own configuration, so a primary handler the user sets is covered too. A 3xx then reaches the
/// caller with its <c>Location</c>, and neither <c>Authorization</c> nor <c>X-SFDC-Session</c> can follow it to another
/// host (.NET drops the first on a cross-host redirect, but not the second).
/// </summary>
internal sealed class NoRedirectsFilter(IEnumerable<SalesforceClientName> clients) : IHttpMessageHandlerBuilderFilter
{
    private readonly HashSet<string> _names = new(clients.Select(c => c.Name), StringComparer.Ordinal);

    public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next) => builder =>
    {
        next(builder);
        if (builder.Name is { } name && _names.Contains(name))
        {
            DisableRedirects(builder.PrimaryHandler);
        }
    };

    private static void DisableRedirects(HttpMessageHandler handler)
    {
        switch (handler)
        {
#if NET5_0_OR_GREATER
            case SocketsHttpHandler sockets:
                sockets.AllowAutoRedirect = false;
                break;
#endif
            case HttpClientHandler client:
                client.AllowAutoRedirect = false;
                break;
        }
    }
}
