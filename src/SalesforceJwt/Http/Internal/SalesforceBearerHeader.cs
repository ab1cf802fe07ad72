using System.Net.Http.Headers;

namespace SalesforceJwt.Http.Internal;

/// <summary>
/// The <c>Authorization</c> value of a <see cref="Tokens.SalesforceToken"/>, made once per token. Its type marks it as the
/// handler's own, so a message re-aimed at another origin by an outer handler can be stripped of it without any
/// per-request bookkeeping.
/// </summary>
internal sealed class SalesforceBearerHeader(string accessToken) : AuthenticationHeaderValue("Bearer", accessToken);
