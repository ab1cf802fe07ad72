using SalesforceJwt.Http;
using SalesforceJwt.Http.Internal;

namespace SalesforceJwt.Tests.Http;

/// <summary>
/// The hot path asks whether a request has options or a response has headers without creating them (issue 12). On the
/// runtimes this project runs on, the runtime's fields are found, so the answer is exact.
/// </summary>
public sealed class LazyMessagePartsTests
{
    [Fact]
    public void MayHaveOptions_IsFalseUntilOptionsAreCreated_AndTheUsernameIsStillRead()
    {
        using var plain = new HttpRequestMessage(HttpMethod.Get, "https://acme.my.salesforce.com/x");
        using var withUser = new HttpRequestMessage(HttpMethod.Get, "https://acme.my.salesforce.com/x");
        withUser.Options.Set(SalesforceHttpRequestOptions.Username, "other@acme.com");

        Assert.False(LazyMessageParts.MayHaveOptions(plain));
        Assert.Null(RequestOptions.Username(plain));
        Assert.False(LazyMessageParts.MayHaveOptions(plain));
        Assert.True(LazyMessageParts.MayHaveOptions(withUser));
        Assert.Equal("other@acme.com", RequestOptions.Username(withUser));
    }

    [Fact]
    public void MayHaveHeaders_IsFalseUntilHeadersAreCreated()
    {
        using var response = new HttpResponseMessage();

        Assert.False(LazyMessageParts.MayHaveHeaders(response));
        response.Headers.TryAddWithoutValidation("Sforce-Limit-Info", "api-usage=1/100");
        Assert.True(LazyMessageParts.MayHaveHeaders(response));
    }
}
