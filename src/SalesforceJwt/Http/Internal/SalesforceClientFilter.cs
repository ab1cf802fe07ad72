using Microsoft.Extensions.Http;
using Microsoft.Extensions.Http.Logging;

namespace SalesforceJwt.Http.Internal;

/// <summary>
/// Shapes every client that carries a Salesforce token, after all of the client's own configuration (it is registered
/// first, so it wraps every other filter):
/// <list type="bullet">
/// <item>Automatic redirects are turned off on the primary handler, a handler the user set included. A 3xx then reaches
/// the caller with its <c>Location</c>, and neither <c>Authorization</c> nor <c>X-SFDC-Session</c> can follow it to another
/// host (.NET drops the first on a cross-host redirect, but not the second).</item>
/// <item>HttpClientFactory's default logging handlers are removed: their structured state carries raw header values,
/// the token among them. Loggers the user added with <c>AddLogger</c> stay, before or after <c>AddSalesforceJwt()</c>.</item>
/// </list>
/// </summary>
internal sealed class SalesforceClientFilter(IEnumerable<SalesforceClientName> clients) : IHttpMessageHandlerBuilderFilter
{
    private readonly HashSet<string> _names = new(clients.Select(c => c.Name), StringComparer.Ordinal);

    public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next) => builder =>
    {
        next(builder);
        if (builder.Name is not { } name || !_names.Contains(name))
        {
            return;
        }

        DisableRedirects(builder.PrimaryHandler);
        var handlers = builder.AdditionalHandlers;
        for (var i = handlers.Count - 1; i >= 0; i--)
        {
            if (handlers[i] is LoggingHttpMessageHandler or LoggingScopeHttpMessageHandler)
            {
                handlers.RemoveAt(i);
            }
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
