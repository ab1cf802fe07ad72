using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;

namespace SalesforceJwt.Rest.Internal;

/// <summary>
/// Remembers which connection each <see cref="HttpClient"/> made by <c>IHttpClientFactory</c> belongs to, so that the
/// REST helpers, which only see the client, use that connection's <see cref="SalesforceJwtOptions.ApiVersion"/>.
/// Weak keys: a client that is no longer used is forgotten with it.
/// </summary>
internal static class SalesforceClientRegistry
{
    private static readonly ConditionalWeakTable<HttpClient, Connection> s_clients = new();

    public static void Register(HttpClient client, string connectionName, IOptionsMonitor<SalesforceJwtOptions> options)
    {
        lock (s_clients)
        {
            s_clients.Remove(client);
            s_clients.Add(client, new Connection(connectionName, options));
        }
    }

    /// <summary>The connection's API version; <see cref="SalesforceJwtDefaults.ApiVersion"/> for a client from elsewhere.</summary>
    public static string ApiVersion(HttpClient client) =>
        s_clients.TryGetValue(client, out var connection)
            ? connection.Options.Get(connection.Name).ApiVersion
            : SalesforceJwtDefaults.ApiVersion;

    private sealed class Connection(string name, IOptionsMonitor<SalesforceJwtOptions> options)
    {
        public string Name { get; } = name;

        public IOptionsMonitor<SalesforceJwtOptions> Options { get; } = options;
    }
}
