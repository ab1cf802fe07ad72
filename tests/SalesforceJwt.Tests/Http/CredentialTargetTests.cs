using System.Net;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;
using SalesforceJwt.Http.Internal;
using SalesforceJwt.Tests.TestSupport;
using SalesforceJwt.Tokens;

namespace SalesforceJwt.Tests.Http;

/// <summary>
/// The rule for where a token may go, for an https instance such as Salesforce hands out: a request addressed to the
/// placeholder or to the instance goes to the instance; anything else carries no credential.
/// </summary>
public sealed class CredentialTargetTests
{
    private static readonly Uri s_instance = new("https://acme.my.salesforce.com");
    private static readonly SalesforceToken s_token = new("00DFK0000000001!token", s_instance, DateTimeOffset.UnixEpoch)
    {
        IdentityUrl = new Uri("https://login.salesforce.com/id/00DFK0000000001EAA/005FK0000000001AAA"),
    };

    /// <summary>Relative paths (resolved against the placeholder, as HttpClient does) that must stay on the instance.</summary>
    public static TheoryData<string> PathsThatStayOnTheInstance() =>
    [
        "/\\evil.example/x", "/.//evil.example/x", "/..//evil.example/x", "./..//evil.example/x", "/../../..//evil.example/x",
        "services/data/v62.0/sobjects/Account/../../../../..//evil.example/x", "services/data/v62.0/../../../../evil.example/x",
        "%2F%2Fevil.example/x", "/%2F%2Fevil.example/x", "/%5Cevil.example/x", "%5C%5Cevil.example/x", "/%2e%2e//evil.example/x",
        "/x\t//evil.example/y", "/x\n//evil.example/y", "/x\r\n//evil.example/y", "@evil.example/x", "/@evil.example/x",
        "services/data/v62.0/sobjects/Account/@evil.example", "services/data/v62.0/query?q=//evil.example",
        "services/data/v62.0/query?next=https://evil.example/x", "services/data/v62.0/limits#//evil.example",
        "services/async/62.0/job/../../..//evil.example/x", "/services/async/62.0//evil.example/x", "/id/..//evil.example/x",
        ":evil.example/x", "/:443@evil.example/x", "/\u0430cme.my.salesforce.com/x", "services/data/v62.0/sobjects/Account/%40evil.example%2F",
    ];

    /// <summary>Absolute URIs for other origins: no credential, whatever the path says.</summary>
    public static TheoryData<string> UrisForOtherOrigins() =>
    [
        "https://evil.example/services/data/v62.0/limits", "http://acme.my.salesforce.com/services/data/v62.0/limits",
        "https://acme.my.salesforce.com:8443/services/data/v62.0/limits", "https://acme.my.salesforce.com.evil.example/x",
        "https://acme.my.salesforce.com@evil.example/x", "https://\u0430cme.my.salesforce.com/services/data/v62.0/limits",
        "https://acme.my.salesforce.com./services/data/v62.0/limits", "https://login.salesforce.com/services/data/v62.0/limits",
        "http://login.salesforce.com/id/00DFK0000000001EAA/005FK0000000001AAA", "https://evil.example/id/00DFK0000000001EAA/005FK0000000001AAA",
        "http://salesforce.invalid/services/data/v62.0/limits", "https://salesforce.invalid:444/x",
        "https://salesforce.invalid.evil.example/x", "https://evil.example#@salesforce.invalid/x",
    ];

    [Theory]
    [MemberData(nameof(PathsThatStayOnTheInstance))]
    public void Resolve_PlaceholderPath_IsRebuiltOnTheInstanceOrigin(string path)
    {
        var requested = new Uri(SalesforceJwtDefaults.InstanceBaseAddress, path);

        var target = CredentialTarget.Resolve(requested, s_token, sessionOrigin: null);

        Assert.NotNull(target);
        Assert.Equal("https://acme.my.salesforce.com", $"{target.Scheme}://{target.Authority}");
        Assert.Equal(requested.PathAndQuery, target.PathAndQuery);
        Assert.True(CredentialTarget.MayCarry(target, s_token));
    }

    [Theory]
    [MemberData(nameof(UrisForOtherOrigins))]
    public void Resolve_OtherOrigin_CarriesNoCredential(string uri)
    {
        var requested = new Uri(uri);

        Assert.Null(CredentialTarget.Resolve(requested, s_token, sessionOrigin: null));
        Assert.False(CredentialTarget.MayCarry(requested, s_token));
    }

    [Theory]
    [InlineData("https://login.salesforce.com/id/00DFK0000000001EAA/005FK0000000001AAA", true)]
    [InlineData("https://login.salesforce.com/services/oauth2/userinfo", true)]
    [InlineData("https://login.salesforce.com/services/data/v62.0/limits", false)]
    [InlineData("https://login.salesforce.com/services/oauth2/token", false)]
    public void MayCarry_IdentityHost_OnlyForIdentityAndUserinfo(string uri, bool expected) =>
        Assert.Equal(expected, CredentialTarget.MayCarry(new Uri(uri), s_token));

    [Fact]
    public void Resolve_Replay_MovesRequestsForTheOldInstanceToTheNewOne()
    {
        var fresh = new SalesforceToken("00DFK0000000001!fresh", new Uri("https://acme2.my.salesforce.com"), DateTimeOffset.UnixEpoch);

        var target = CredentialTarget.Resolve(new Uri("https://acme.my.salesforce.com//evil.example/x?a=1"), fresh, sessionOrigin: s_instance);

        Assert.Equal("https://acme2.my.salesforce.com//evil.example/x?a=1", target!.ToString());
    }

    [Fact]
    public void Resolve_RememberedUri_IsReusedOnlyForTheSameRequestAndTheSameOrigin()
    {
        var built = new RebasedUris();
        var requested = new Uri(SalesforceJwtDefaults.InstanceBaseAddress, "services/data/v62.0/limits?x=1");

        var first = CredentialTarget.Resolve(requested, s_token, sessionOrigin: null, built, out var firstVerified);
        var again = CredentialTarget.Resolve(new Uri(SalesforceJwtDefaults.InstanceBaseAddress, "services/data/v62.0/limits?x=1"), s_token, null, built, out var againVerified);
        var other = CredentialTarget.Resolve(new Uri(SalesforceJwtDefaults.InstanceBaseAddress, "services/data/v62.0/limits?x=2"), s_token, null, built, out _);
        var moved = new SalesforceToken("00DFK0000000001!moved", new Uri("https://acme2.my.salesforce.com"), DateTimeOffset.UnixEpoch);
        var afterMove = CredentialTarget.Resolve(requested, moved, sessionOrigin: null, built, out _);

        Assert.Same(first, again);
        Assert.Null(firstVerified);
        Assert.Same(again, againVerified);
        Assert.Equal("https://acme.my.salesforce.com/services/data/v62.0/limits?x=2", other!.ToString());
        Assert.Equal("https://acme2.my.salesforce.com/services/data/v62.0/limits?x=1", afterMove!.ToString());
        Assert.True(CredentialTarget.MayCarry(afterMove, moved));
        Assert.False(CredentialTarget.MayCarry(first!, moved));
    }

    [Theory]
    [InlineData("/services/data/v62.0/")]
    [InlineData("/services/data/v62.0//evil.example/x/")]
    [InlineData("/services/data/v@evil.example/")]
    [InlineData("services/data/v62.0/../../..//evil.example/")]
    public void OnInstance_UrisTheLibraryBuildsForItsOwnRequests_StayOnTheInstance(string pathAndQuery)
    {
        // The session look and the AuthSession read build their URIs here, from configuration such as ApiVersion.
        var uri = CredentialTarget.OnInstance(s_token, pathAndQuery);

        Assert.NotNull(uri);
        Assert.Equal("https://acme.my.salesforce.com", $"{uri.Scheme}://{uri.Authority}");
    }

    [Fact]
    public void Resolve_AbsoluteUriOnTheInstance_IsNotRemembered()
    {
        // Only URIs built from the placeholder go in: anything else is decided afresh, every time.
        var built = new RebasedUris();
        var direct = new Uri("https://acme.my.salesforce.com/services/data/v62.0/limits");

        Assert.Same(direct, CredentialTarget.Resolve(direct, s_token, sessionOrigin: null, built, out _));
        Assert.Null(built.Find(direct, s_token.InstanceOrigin));
    }

    [Fact]
    public void RebasedUris_PastItsCapacity_StartsAgainInsteadOfGrowing()
    {
        var built = new RebasedUris();
        var uris = Enumerable.Range(0, RebasedUris.Capacity + 1)
            .Select(i => new Uri(SalesforceJwtDefaults.InstanceBaseAddress, $"services/data/v62.0/sobjects/Account/{i}"))
            .ToList();

        foreach (var uri in uris)
        {
            CredentialTarget.Resolve(uri, s_token, sessionOrigin: null, built, out _);
        }

        Assert.Null(built.Find(uris[0], s_token.InstanceOrigin));
        Assert.NotNull(built.Find(uris[^1], s_token.InstanceOrigin));
    }

    [Fact]
    public void RebasedUris_ManyRequestsSharingTheRecentSlots_EachFindsItsOwnUri()
    {
        // More URIs than recent slots, so slots are shared: a slot must never answer for a URI it was not built for.
        var built = new RebasedUris();
        var uris = Enumerable.Range(0, RebasedUris.Capacity - 1)
            .Select(i => new Uri(SalesforceJwtDefaults.InstanceBaseAddress, $"services/data/v62.0/sobjects/Account/001{i:D15}?fields=Id"))
            .ToList();
        foreach (var uri in uris)
        {
            CredentialTarget.Resolve(uri, s_token, sessionOrigin: null, built, out _);
        }

        for (var round = 0; round < 3; round++)
        {
            foreach (var uri in round == 1 ? Enumerable.Reverse(uris) : uris)
            {
                var found = built.Find(new Uri(uri.OriginalString), s_token.InstanceOrigin);
                Assert.Equal("https://acme.my.salesforce.com" + uri.PathAndQuery, found?.ToString());
            }
        }
    }

    private static readonly string[] s_pieces =
    [
        "..", ".", "", "/", "//", "\\", "evil.example", "%2F", "%2f", "%5C", "%2e%2e", "@", ":", ":443", "\t", "\n", "\r\n", "?", "#",
        "services", "data", "v62.0", "sobjects", "Account", "async", "Soap", "id", "acme.my.salesforce.com", "https:", "http:", "%40", " ",
    ];

    private static readonly Gen<string> s_hostilePath = Gen.OneOf(s_pieces).Array[1, 12].Select(parts => string.Concat(parts));

    [Fact]
    public void Property_AnyPathFromHostilePieces_ResolvesToTheInstanceOrToNoCredential()
    {
        s_hostilePath.Sample(path =>
        {
            if (!Uri.TryCreate(SalesforceJwtDefaults.InstanceBaseAddress, path, out var requested))
            {
                return;
            }

            var target = CredentialTarget.Resolve(requested, s_token, sessionOrigin: null);
            if (target is not null)
            {
                Assert.Equal("https://acme.my.salesforce.com", $"{target.Scheme}://{target.Authority}");
                Assert.True(CredentialTarget.MayCarry(target, s_token));
            }

            // The handler's remembered URIs give the same answer as building afresh, the first time and every time after.
            var built = new RebasedUris();
            var once = CredentialTarget.Resolve(requested, s_token, sessionOrigin: null, built, out _);
            var twice = CredentialTarget.Resolve(new Uri(requested.OriginalString), s_token, sessionOrigin: null, built, out _);
            Assert.Equal(target?.ToString(), once?.ToString());
            Assert.Equal(target?.ToString(), twice?.ToString());
        }, iter: 20_000);
    }

    [Fact]
    public async Task Property_ThroughTheFactoryClient_NoCredentialEverLeavesForAnotherOrigin()
    {
        var wire = new StubHttpHandler((request, _) => new HttpResponseMessage(
            request.Headers.Authorization is null ? HttpStatusCode.OK : HttpStatusCode.Unauthorized)
        {
            Content = new StringContent(request.Headers.Authorization is null ? "{}" : SalesforceStub.ExpiredBody),
        });
        using var stub = new SalesforceStub();
        stub.IssuesTokens();
        stub.InstanceUrl = new Uri("http://127.0.0.1:1");
        var services = new ServiceCollection();
        services.AddSalesforceJwt(o =>
        {
            o.ConsumerKey = "k";
            o.Username = "u@example.com";
            o.LoginUrl = stub.Url;
            o.PrivateKey = TestKeys.Shared;
            o.ReauthenticationPause = TimeSpan.Zero;
            o.MaxLoginsPerHour = 3600;
        }).ConfigurePrimaryHttpMessageHandler(() => wire);
        using var provider = services.BuildServiceProvider();
        var client = provider.Client();
        var foreign = new Func<StubHttpHandler, bool>(w => w.Received.Any(r =>
            (r.Request.Headers.Authorization is not null || r.Request.Headers.Contains("X-SFDC-Session"))
            && $"{r.Request.RequestUri!.Scheme}://{r.Request.RequestUri.Authority}" != "http://127.0.0.1:1"));

        await s_hostilePath.SampleAsync(async path =>
        {
            if (!Uri.TryCreate(path, UriKind.RelativeOrAbsolute, out var uri))
            {
                return;
            }

            try
            {
                using var response = await client.GetAsync(uri, TestContext.Current.CancellationToken);
            }
            catch (Exception ex) when (ex is SalesforceJwtException or InvalidOperationException or UriFormatException)
            {
                // A typed refusal, a replay that cannot be made, or a URI HttpClient itself rejects.
            }

            // Every credentialed send so far (first sends and replays, each answered 401 here) went to the instance.
            Assert.False(foreign(wire), $"a credential left for another origin with '{path}'");
        }, iter: 150, threads: 1);

        Assert.Contains(wire.Received, r => r.Request.Headers.Authorization is not null);
    }
}
