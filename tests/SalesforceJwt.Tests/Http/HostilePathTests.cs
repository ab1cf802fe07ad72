using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SalesforceJwt.Tests.TestSupport;

namespace SalesforceJwt.Tests.Http;

/// <summary>
/// Paths and URIs an attacker could put into a request through the factory client, on the first send and on the replay
/// after the session ends: a credential reaches the fake org's instance or nothing at all; a foreign host never sees one.
/// </summary>
public sealed class HostilePathTests : IDisposable
{
    private const string Foreign = "{F}";
    private const string Instance = "{P}";
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly SalesforceStub _foreign = new();
    private readonly RecordingPrimaryHandler _wire = new();
    private readonly FakeOrgHarness _h;

    public HostilePathTests()
    {
        _foreign.Answers("/*", HttpStatusCode.OK, "{}");
        _wire.Allow(_foreign.Url);
        _h = new FakeOrgHarness(client: builder => builder.ConfigurePrimaryHttpMessageHandler(() => _wire));
        _wire.Allow(_h.Org.Url);
    }

    public void Dispose()
    {
        _h.Dispose();
        _foreign.Dispose();
        _wire.Dispose();
    }

    public enum Outcome
    {
        /// <summary>Reached the instance, with the token.</summary>
        ReachesInstance,

        /// <summary>Addressed to another origin: sent there without any credential, as documented.</summary>
        GoesElsewhereWithoutCredential,

        /// <summary>Reached the instance, which answered in a way that ends in a typed SalesforceJwt error.</summary>
        FailsWithTypedError,
    }

    /// <summary>{F} is the foreign server's host:port, {P} the instance's (the fake org's) port.</summary>
    public static TheoryData<string, Outcome> Shapes() => new()
    {
        // Relative paths, resolved against the placeholder base address.
        { "//{F}/x", Outcome.GoesElsewhereWithoutCredential },
        { "/\\{F}/x", Outcome.ReachesInstance },
        { "/.//{F}/x", Outcome.ReachesInstance },
        { "/..//{F}/x", Outcome.ReachesInstance },
        { "./..//{F}/x", Outcome.ReachesInstance },
        { "services/data/v62.0/sobjects/Account/../../../../..//{F}/x", Outcome.ReachesInstance },
        { "services/data/v62.0/../../../../../../{F}/x", Outcome.ReachesInstance },
        { "services/data/v62.0/sobjects/Account/..\\..\\..\\..\\..\\\\{F}/x", Outcome.ReachesInstance },
        { "%2F%2F{F}/x", Outcome.ReachesInstance },
        { "/%2F%2F{F}/x", Outcome.ReachesInstance },
        { "/%2f/{F}/x", Outcome.ReachesInstance },
        { "/%5C%5C{F}/x", Outcome.ReachesInstance },
        { "%5C{F}/x", Outcome.ReachesInstance },
        { "/%2e%2e//{F}/x", Outcome.ReachesInstance },
        { "/x\t//{F}/y", Outcome.ReachesInstance },
        { "/x\n//{F}/y", Outcome.ReachesInstance },
        { "/x\r\n//{F}/y", Outcome.ReachesInstance },
        { "@{F}/x", Outcome.ReachesInstance },
        { "/@{F}/x", Outcome.ReachesInstance },
        { "services/data/v62.0/sobjects/Account/@{F}", Outcome.ReachesInstance },
        { "services/data/v62.0/sobjects/Account/%40{F}%2Fx", Outcome.ReachesInstance },
        { "services/data/v62.0/query?q=//{F}", Outcome.ReachesInstance },
        { "services/data/v62.0/query?next=http://{F}/x", Outcome.ReachesInstance },
        { "services/data/v62.0/limits#//{F}", Outcome.ReachesInstance },
        { "services/async/62.0/job/../../../..//{F}/x", Outcome.ReachesInstance },
        { "/services/async/62.0/job/%2F%2F{F}", Outcome.ReachesInstance },
        { "/services/async/62.0//{F}/x", Outcome.ReachesInstance },
        { "services/Soap/u/62.0/..//{F}/x", Outcome.FailsWithTypedError },
        { "/id/../..//{F}/x", Outcome.ReachesInstance },
        { ":{F}/x", Outcome.ReachesInstance },

        // Absolute URIs: other hosts, ports, schemes and look-alikes.
        { "http://{F}/x", Outcome.GoesElsewhereWithoutCredential },
        { "http://{F}/services/data/v62.0/limits", Outcome.GoesElsewhereWithoutCredential },
        { "http://{F}/services/async/62.0/job", Outcome.GoesElsewhereWithoutCredential },
        { "http://localhost:{P}/services/data/v62.0/limits", Outcome.GoesElsewhereWithoutCredential },
        { "http://127.0.0.2:{P}/services/data/v62.0/limits", Outcome.GoesElsewhereWithoutCredential },
        { "https://127.0.0.1:{P}/services/data/v62.0/limits", Outcome.GoesElsewhereWithoutCredential },
        { "http://127.0.0.1:{P}@{F}/x", Outcome.GoesElsewhereWithoutCredential },
        { "http://{F}/services/data/v62.0/limits?@salesforce.invalid", Outcome.GoesElsewhereWithoutCredential },
        { "http://user:secret@127.0.0.1:{P}/services/data/v62.0/limits", Outcome.ReachesInstance },
        { "https://salesforce.invalid.evil.example/x", Outcome.GoesElsewhereWithoutCredential },
        { "https://salesforce.invalid:8443/x", Outcome.GoesElsewhereWithoutCredential },
        { "http://salesforce.invalid/services/data/v62.0/limits", Outcome.GoesElsewhereWithoutCredential },
        { "https://salesforce-\u0456nstance.invalid/services/data/v62.0/limits", Outcome.GoesElsewhereWithoutCredential },
        { "https://salesforce.invalid./services/data/v62.0/limits", Outcome.GoesElsewhereWithoutCredential },
        { "https://evil.example/services/data/v62.0/limits", Outcome.GoesElsewhereWithoutCredential },
        { "https://evil.example#@salesforce.invalid/x", Outcome.GoesElsewhereWithoutCredential },
        { "https://SALESFORCE.INVALID/services/data/v62.0/limits", Outcome.ReachesInstance },
        { "https://salesforce.invalid:443/services/data/v62.0/limits", Outcome.ReachesInstance },
        { "http://127.0.0.1:{P}/services/data/v62.0/limits", Outcome.ReachesInstance },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task FirstSend_CredentialOnlyEverReachesTheInstance(string shape, Outcome expected)
    {
        var outcome = await SendAsync(shape);

        Assert.Equal(expected, outcome);
        AssertNoCredentialLeftTheInstance();
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task Replay_CredentialOnlyEverReachesTheInstance(string shape, Outcome expected)
    {
        await WarmAsync();
        var credentialedBefore = _wire.Credentialed.Count();
        _wire.ExpireNext();

        var outcome = await SendAsync(shape);

        Assert.Equal(expected, outcome);
        AssertNoCredentialLeftTheInstance();
        if (expected == Outcome.ReachesInstance)
        {
            // The simulated 401 with the first token, then the replay with the new one: both at the instance.
            var sends = _wire.Credentialed.Skip(credentialedBefore).ToList();
            Assert.Equal(2, sends.Count);
            Assert.NotEqual(sends[0].Authorization, sends[1].Authorization);
            Assert.Equal(2, _h.Org.Counters.TokenRequests);
        }
    }

    private async Task WarmAsync()
    {
        using var response = await _h.Client.GetAsync("services/data/v62.0/limits", _ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<Outcome> SendAsync(string shape)
    {
        var text = shape.Replace(Foreign, _foreign.Url.Authority, StringComparison.Ordinal).Replace(Instance, _h.Org.Url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var uri = new Uri(text, UriKind.RelativeOrAbsolute);
        var before = _wire.Requests.Count;
        try
        {
            using var response = await _h.Client.GetAsync(uri, _ct);
        }
        catch (SalesforceJwtException)
        {
            return Outcome.FailsWithTypedError;
        }

        var sent = _wire.Requests.Skip(before).Last();
        return RecordingPrimaryHandler.SameOrigin(sent.Uri, _h.Org.Url) && sent.Authorization is not null
            ? Outcome.ReachesInstance
            : sent.Authorization is null && sent.SessionHeader is null
                ? Outcome.GoesElsewhereWithoutCredential
                : throw new InvalidOperationException($"A credential went to {sent.Uri}");
    }

    private void AssertNoCredentialLeftTheInstance()
    {
        Assert.All(_wire.Credentialed, r => Assert.True(RecordingPrimaryHandler.SameOrigin(r.Uri, _h.Org.Url), $"credential sent to {r.Uri}"));
        Assert.All(_foreign.Server.LogEntries, e =>
        {
            Assert.False(e.RequestMessage!.Headers!.ContainsKey("Authorization"), "the foreign host saw Authorization");
            Assert.False(e.RequestMessage!.Headers!.ContainsKey("X-SFDC-Session"), "the foreign host saw X-SFDC-Session");
        });
    }
}
