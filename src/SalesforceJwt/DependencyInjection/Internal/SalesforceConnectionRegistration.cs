namespace SalesforceJwt.DependencyInjection.Internal;

/// <summary>One connection registered with <c>AddSalesforceJwt</c>, so that start-up work can find every connection.</summary>
internal sealed record SalesforceConnectionRegistration(string Name);
