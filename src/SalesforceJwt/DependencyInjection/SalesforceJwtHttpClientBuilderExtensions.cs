using SalesforceJwt.Internal;
using Microsoft.Extensions.Configuration;
using SalesforceJwt;
using SalesforceJwt.DependencyInjection.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Attaches Salesforce JWT authentication to an <see cref="HttpClient"/> you register yourself, named or typed.</summary>
public static class SalesforceJwtHttpClientBuilderExtensions
{
    /// <summary>
    /// Registers a connection named after the client (<see cref="IHttpClientBuilder.Name"/>) from a configuration section,
    /// and makes the client authenticate as it. For <c>AddHttpClient&lt;TClient&gt;()</c> that name is the type's name
    /// without its namespace; to choose the name, use <see cref="AddSalesforceJwtConnection"/> instead.
    /// </summary>
    /// <param name="builder">The client's builder.</param>
    /// <param name="configuration">The section holding the options.</param>
    /// <returns>The same builder.</returns>
    public static IHttpClientBuilder AddSalesforceJwt(this IHttpClientBuilder builder, IConfiguration configuration)
    {
        Guard.NotNull(builder);
        Guard.NotNull(configuration);
        builder.Services.AddSalesforceJwtConnection(builder.Name).BindSalesforceJwt(configuration);
        return builder.AddSalesforceJwtHandler(builder.Name);
    }

    /// <summary>
    /// Registers a connection named after the client (for <c>AddHttpClient&lt;TClient&gt;()</c>, the type's name without its
    /// namespace), configured in code, and makes the client authenticate as it.
    /// </summary>
    /// <param name="builder">The client's builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The same builder.</returns>
    public static IHttpClientBuilder AddSalesforceJwt(this IHttpClientBuilder builder, Action<SalesforceJwtOptions> configure)
    {
        Guard.NotNull(builder);
        Guard.NotNull(configure);
        builder.Services.AddSalesforceJwtConnection(builder.Name).Configure(configure);
        return builder.AddSalesforceJwtHandler(builder.Name);
    }

    /// <summary>
    /// Makes the client authenticate as a connection registered elsewhere with
    /// <see cref="SalesforceJwtServiceCollectionExtensions.AddSalesforceJwt(IServiceCollection, string, Action{SalesforceJwtOptions})"/>,
    /// so several clients share one token.
    /// </summary>
    /// <param name="builder">The client's builder.</param>
    /// <param name="connectionName">The connection's name.</param>
    /// <returns>The same builder.</returns>
    public static IHttpClientBuilder AddSalesforceJwtConnection(this IHttpClientBuilder builder, string connectionName)
    {
        Guard.NotNull(builder);
        Guard.NotNullOrEmpty(connectionName);
        return builder.AddSalesforceJwtHandler(connectionName);
    }
}
