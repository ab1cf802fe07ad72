using System.Collections.Concurrent;
using System.Net;
using WireMock;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using WireMock.Types;
using WireMock.Util;

namespace SalesforceJwt.Tests.TestSupport;

/// <summary>
/// A WireMock server on 127.0.0.1 that plays Salesforce's login host and instance: it issues numbered tokens and
/// serves a small REST surface that answers 401 INVALID_SESSION_ID to any token not currently valid.
/// </summary>
internal sealed class SalesforceStub : IDisposable
{
    public const string TokenPath = "/services/oauth2/token";
    public const string OrgId = "00Dxx0000001gPLEAY";
    public const string UserId = "005xx000001SwiUAAS";
    public const string ExpiredBody = """[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]""";

    private readonly ConcurrentDictionary<string, bool> _validTokens = new();
    private int _issued;

    public SalesforceStub()
    {
        Server = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"], StartAdminInterface = false });
        Url = new Uri(Server.Url!);
        InstanceUrl = Url;
    }

    public WireMockServer Server { get; }

    public Uri Url { get; }

    /// <summary>The instance_url handed out with tokens; defaults to this server.</summary>
    public Uri InstanceUrl { get; set; }

    /// <summary>When set, every token request waits on it first, so tests can pile up concurrent callers.</summary>
    public TaskCompletionSource? TokenGate { get; set; }

    public int TokensIssued => Volatile.Read(ref _issued);

    public int TokenRequests => Server.LogEntries.Count(e => e.RequestMessage?.Path == TokenPath);

    public IReadOnlyList<ILogEntry> Requests(string path) => Server.LogEntries.Where(e => e.RequestMessage?.Path == path).ToList();

    public static string TokenNumber(int n) => $"{OrgId[..15]}!AQ0AQ.token-{n}";

    /// <summary>The token endpoint issues token-1, token-2, …; each is valid for the API until expired.</summary>
    public SalesforceStub IssuesTokens()
    {
        Server.Given(Request.Create().WithPath(TokenPath).UsingPost())
            .RespondWith(Response.Create().WithCallback(async _ =>
            {
                if (TokenGate is { } gate)
                {
                    await gate.Task.ConfigureAwait(false);
                }

                var token = TokenNumber(Interlocked.Increment(ref _issued));
                _validTokens[token] = true;
                var instance = InstanceUrl.GetLeftPart(UriPartial.Authority);
                return Json(HttpStatusCode.OK, $$"""
                    {"access_token":"{{token}}","scope":"api","instance_url":"{{instance}}",
                     "id":"{{Url.GetLeftPart(UriPartial.Authority)}}/id/{{OrgId}}/{{UserId}}","token_type":"Bearer","issued_at":"1764151200000"}
                    """);
            }));
        return this;
    }

    public SalesforceStub TokenEndpointAnswers(HttpStatusCode status, string body, string contentType = "application/json")
    {
        Server.Given(Request.Create().WithPath(TokenPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", contentType).WithBody(body));
        return this;
    }

    /// <summary>Serves <paramref name="path"/> for any method: 200 with the body it received for a valid token, else Salesforce's 401.</summary>
    public SalesforceStub Serves(string path, string okBody = """{"ok":true}""")
    {
        Server.Given(Request.Create().WithPath(path))
            .RespondWith(Response.Create().WithCallback(request =>
            {
                var auth = request.Headers?.TryGetValue("Authorization", out var values) == true ? values.FirstOrDefault() : null;
                var token = auth is not null && auth.StartsWith("Bearer ", StringComparison.Ordinal) ? auth["Bearer ".Length..] : null;
                return token is not null && _validTokens.ContainsKey(token)
                    ? Json(HttpStatusCode.OK, okBody)
                    : Json(HttpStatusCode.Unauthorized, ExpiredBody);
            }));
        return this;
    }

    /// <summary>Serves <paramref name="path"/> with a fixed answer whatever the token.</summary>
    public SalesforceStub Answers(string path, HttpStatusCode status, string body, string contentType = "application/json")
    {
        Server.Given(Request.Create().WithPath(path))
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", contentType).WithBody(body));
        return this;
    }

    /// <summary>Answers <paramref name="path"/> with a redirect of <paramref name="status"/> to <paramref name="location"/>.</summary>
    public SalesforceStub Redirects(string path, int status, Uri location)
    {
        Server.Given(Request.Create().WithPath(path))
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Location", location.ToString()));
        return this;
    }

    /// <summary>Ends every session, as a timeout or an admin's revoke would.</summary>
    public void ExpireAllSessions() => _validTokens.Clear();

    public static ResponseMessage Json(HttpStatusCode status, string body) => new()
    {
        StatusCode = (int)status,
        Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json;charset=UTF-8") },
        BodyData = new BodyData { BodyAsString = body, DetectedBodyType = BodyType.String },
    };

    public void Dispose() => Server.Stop();
}
