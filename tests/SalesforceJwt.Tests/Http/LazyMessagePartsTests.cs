using SalesforceJwt.Http;
using SalesforceJwt.Http.Internal;

namespace SalesforceJwt.Tests.Http;

/// <summary>
/// The hot path asks whether a request has options or a response has headers without creating them (issue 12). On the
/// runtimes this project runs on, the runtime's fields are found, so the answer is exact: by the net8.0+ builds' field
/// accessors, and by the netstandard2.0 build's reflection (these tests run against both).
/// </summary>
public sealed class LazyMessagePartsTests
{
    [Fact]
    public void MayHaveOptions_IsFalseUntilOptionsAreCreated_AndTheUsernameIsStillRead()
    {
        using var plain = new HttpRequestMessage(HttpMethod.Get, "https://acme.my.salesforce.com/x");
        using var withUser = new HttpRequestMessage(HttpMethod.Get, "https://acme.my.salesforce.com/x");
        // The key both builds read: Options on .NET 5+ is the dictionary the netstandard2.0 build sees as Properties.
        ((IDictionary<string, object?>)withUser.Options)[SalesforceHttpRequestOptions.UsernameKey] = "other@acme.com";

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

#if LIBRARY_NETSTANDARD
    [Fact]
    public void FieldReader_KeepsOnlyAFieldThatIsTheLazyPart()
    {
        // A name no runtime has, and a field that is set from the start (the method), are not the options: "maybe".
        Assert.Null(LazyMessageParts.FieldReader<HttpRequestMessage>(static r => _ = r.Options, "_noSuchField"));
        Assert.Null(LazyMessageParts.FieldReader<HttpRequestMessage>(static r => _ = r.Options, "_method"));

        // The first name that is the lazy part wins, after names that are not.
        var read = LazyMessageParts.FieldReader<HttpRequestMessage>(static r => _ = r.Options, "_noSuchField", "_method", "_options");
        Assert.NotNull(read);
        using var request = new HttpRequestMessage();
        Assert.Null(read(request));
        _ = request.Options;
        Assert.NotNull(read(request));
    }
#endif
}
