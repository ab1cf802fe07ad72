using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SalesforceJwt.Testing.Internal;
using WireMock;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace SalesforceJwt.Testing;

/// <summary>
/// A fake Salesforce org on a loopback port, for tests and demos. It is both the login host and the instance: its
/// token endpoint checks JWT bearer assertions as Salesforce does and answers with Salesforce's exact errors, and its
/// APIs require a live session, which ends after the idle timeout with each API's own expired-session answer.
/// </summary>
public sealed partial class FakeSalesforceOrg : IDisposable
{
    /// <summary>The org id of every fake org.</summary>
    public const string OrganizationId = "00DFK0000000001EAA";

    private static readonly Uri s_productionAudience = new("https://login.salesforce.com");
    private static readonly Uri s_sandboxAudience = new("https://test.salesforce.com");

    private readonly WireMockServer _server;
    private readonly object _lock = new();
    private readonly Dictionary<string, FakeConnectedApp> _apps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeUser> _users = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, FakeSession> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<DateTimeOffset>> _logins = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int> _loginTotals = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<JsonObject>> _records = new(StringComparer.OrdinalIgnoreCase);
    private readonly Queue<(FakeTokenFault Fault, TimeSpan Delay)> _faults = new();
    private readonly List<FakeRecordedRequest> _requests = [];
    private readonly List<X509Certificate2> _ownedCertificates = [];
    private readonly List<string> _ownedFiles = [];
    private readonly Dictionary<string, int> _tokenErrors = new(StringComparer.Ordinal);
    private readonly Dictionary<int, int> _apiByStatus = [];
    private readonly FakeSalesforceOrgOptions _options;
    private int _tokenRequests;
    private int _tokensIssued;
    private int _tokenFaults;
    private int _sessionErrors;
    private int _unauthorized;
    private int _concurrentTokenRequests;
    private int _maxConcurrentTokenRequests;
    private int _malformedAuthorization;
    private int _nextId;
    private int _delayedTokenRequests;
    private int _disposed;
    private readonly CancellationTokenSource _stopping = new();

    private FakeSalesforceOrg(FakeSalesforceOrgOptions options)
    {
        _options = options;
        _server = WireMockServer.Start(new WireMockServerSettings
        {
            Urls = ["http://127.0.0.1:0"],
            StartAdminInterface = false,
            PreWireMockMiddlewareInit = app => ((IApplicationBuilder)app).Use(DropConnectionAsync).Use(KeepRawPathAsync),
        });
        Url = new Uri(_server.Url!);
        AcceptedAudiences = new ConcurrentBag<string>(
        [
            Url.GetLeftPart(UriPartial.Authority),
            (options.IsSandbox ? s_sandboxAudience : s_productionAudience).GetLeftPart(UriPartial.Authority),
        ]);
        _server.Given(Request.Create().WithPath(new RegexMatcher(".*")).UsingAnyMethod())
            .RespondWith(Response.Create().WithCallback(HandleAsync));
        _records["Organization"] = [new JsonObject { ["Id"] = OrganizationId, ["Name"] = "Fake Salesforce Org" }];
    }

    /// <summary>Starts a fake org on a free loopback port.</summary>
    /// <param name="options">How it behaves; <see langword="null"/> for the defaults.</param>
    /// <returns>The running org. Dispose it to stop it.</returns>
    public static FakeSalesforceOrg Start(FakeSalesforceOrgOptions? options = null) => new(options ?? new FakeSalesforceOrgOptions());

    /// <summary>Gets the org's URL: the login host, the token endpoint's host and the <c>instance_url</c> it hands out.</summary>
    public Uri Url { get; }

    /// <summary>Gets the audiences (<c>aud</c>) the token endpoint accepts: its own URL and the login (or, for a sandbox, test) host at first.</summary>
    public ConcurrentBag<string> AcceptedAudiences { get; }

    /// <summary>Gets or sets the session idle timeout; changing it applies to live sessions too.</summary>
    public TimeSpan SessionTimeout
    {
        get { lock (_lock) { return _options.SessionTimeout; } }
        set { lock (_lock) { _options.SessionTimeout = value; } }
    }

    /// <summary>Gets or sets the login limit per user per rolling hour; <see langword="null"/> to not enforce one.</summary>
    public int? LoginRateLimitPerHour
    {
        get { lock (_lock) { return _options.LoginRateLimitPerHour; } }
        set { lock (_lock) { _options.LoginRateLimitPerHour = value; } }
    }

    /// <summary>
    /// Gets or sets a value indicating whether the REST API refuses every session with 401
    /// <c>This session is not valid for use with the REST API</c>, as High Assurance or API Access Control do. This is not an expiry.
    /// </summary>
    public bool RestApiRefusesSessions { get; set; }

    /// <summary>Gets or sets a value indicating whether the REST API answers 403 <c>REQUEST_LIMIT_EXCEEDED</c>. This is not an expiry.</summary>
    public bool RequestLimitExceeded { get; set; }

    /// <summary>Registers a connected app.</summary>
    /// <param name="consumerKey">Its consumer key.</param>
    /// <param name="certificate">The certificate uploaded to it; only its public key is used.</param>
    /// <param name="isExternalClientApp">Whether it is an External Client App, which rejects the login and test hosts as audience.</param>
    /// <param name="adminApprovedUsersOnly">Whether its policy is "Admin approved users are pre-authorized".</param>
    /// <returns>The app.</returns>
    public FakeConnectedApp AddConnectedApp(string consumerKey, X509Certificate2 certificate, bool isExternalClientApp = false, bool adminApprovedUsersOnly = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(consumerKey);
        ArgumentNullException.ThrowIfNull(certificate);
        var app = new FakeConnectedApp(consumerKey, certificate, isExternalClientApp, adminApprovedUsersOnly);
        lock (_lock)
        {
            _apps[consumerKey] = app;
        }

        return app;
    }

    /// <summary>Registers a user.</summary>
    /// <param name="username">The username.</param>
    /// <param name="approvedFor">Apps the user is pre-authorized for.</param>
    /// <returns>The user.</returns>
    public FakeUser AddUser(string username, params FakeConnectedApp[] approvedFor)
    {
        ArgumentException.ThrowIfNullOrEmpty(username);
        lock (_lock)
        {
            var user = new FakeUser(username, $"005FK{++_nextId:D10}AAA");
            foreach (var app in approvedFor)
            {
                user.Approve(app);
            }

            _users[username] = user;
            return user;
        }
    }

    /// <summary>Creates a fresh key and certificate, an app with it, and a user pre-authorized for the app.</summary>
    /// <param name="username">The user's name.</param>
    /// <returns>What a client needs to log in; its certificate is disposed with the org.</returns>
    public FakeIntegration CreateIntegration(string username = "integration@example.com")
    {
        var certificate = TestCertificate.Create();
        lock (_lock)
        {
            _ownedCertificates.Add(certificate);
        }

        var app = AddConnectedApp("3MVG9FAKE" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)), certificate);
        return new FakeIntegration(Url, app, AddUser(username, app), OwnFile);
    }

    /// <summary>Ends one session now, as a timeout would.</summary>
    /// <param name="accessToken">The session's access token.</param>
    /// <returns><see langword="true"/> if the session existed.</returns>
    public bool ExpireSession(string accessToken)
    {
        lock (_lock)
        {
            if (_sessions.TryGetValue(accessToken, out var session))
            {
                session.Ended = true;
                return true;
            }

            return false;
        }
    }

    /// <summary>Ends every session now.</summary>
    public void ExpireAllSessions()
    {
        lock (_lock)
        {
            foreach (var session in _sessions.Values)
            {
                session.Ended = true;
            }
        }
    }

    /// <summary>Gets the access tokens of the sessions alive now.</summary>
    /// <returns>The tokens.</returns>
    public IReadOnlyList<string> LiveSessions()
    {
        lock (_lock)
        {
            var now = Now;
            return _sessions.Values.Where(s => s.IsAlive(now, _options.SessionTimeout)).Select(s => s.AccessToken).ToList();
        }
    }

    /// <summary>Makes the next token requests fail in a given way.</summary>
    /// <param name="fault">The failure.</param>
    /// <param name="count">How many requests in a row.</param>
    /// <param name="delay">For <see cref="FakeTokenFault.Delay"/>: how long to wait, on the org's clock.</param>
    public void InjectTokenFaults(FakeTokenFault fault, int count = 1, TimeSpan? delay = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        lock (_lock)
        {
            for (var i = 0; i < count; i++)
            {
                _faults.Enqueue((fault, delay ?? TimeSpan.FromSeconds(30)));
            }
        }
    }

    /// <summary>Adds a record that queries and reads will return, without counting as an API call.</summary>
    /// <typeparam name="TValue">The dictionary's value type, such as <c>object?</c> or <c>string</c>.</typeparam>
    /// <param name="sObjectType">The object type, such as <c>Account</c>.</param>
    /// <param name="fields">Its fields, such as <c>new Dictionary&lt;string, object?&gt; { ["Name"] = "Acme" }</c>; an <c>Id</c> is added when missing.</param>
    /// <returns>The record's id.</returns>
    public string AddRecord<TValue>(string sObjectType, IDictionary<string, TValue> fields)
    {
        ArgumentException.ThrowIfNullOrEmpty(sObjectType);
        ArgumentNullException.ThrowIfNull(fields);
        var record = JsonSerializer.SerializeToNode(fields)!.AsObject();
        return Store(sObjectType, record);
    }

    /// <summary>Gets the records of a type, as JSON.</summary>
    /// <param name="sObjectType">The object type.</param>
    /// <returns>The records.</returns>
    public IReadOnlyList<string> Records(string sObjectType)
    {
        lock (_lock)
        {
            return _records.TryGetValue(sObjectType, out var list) ? list.Select(r => r.ToJsonString()).ToList() : [];
        }
    }

    /// <summary>Gets the number of token requests held right now by an injected <see cref="FakeTokenFault.Delay"/>; advance the clock to release them.</summary>
    public int DelayedTokenRequests => Volatile.Read(ref _delayedTokenRequests);

    /// <summary>Gets a snapshot of the counters.</summary>
    public FakeOrgCounters Counters
    {
        get
        {
            lock (_lock)
            {
                return new FakeOrgCounters(
                    _tokenRequests,
                    _tokensIssued,
                    new Dictionary<string, int>(_tokenErrors),
                    _tokenFaults,
                    new Dictionary<string, int>(_loginTotals, StringComparer.OrdinalIgnoreCase),
                    _apiByStatus.Values.Sum(),
                    new Dictionary<int, int>(_apiByStatus),
                    _sessionErrors,
                    _unauthorized,
                    _maxConcurrentTokenRequests,
                    _malformedAuthorization);
            }
        }
    }

    /// <summary>Gets every request received so far, token requests included, in order of arrival.</summary>
    public IReadOnlyList<FakeRecordedRequest> ReceivedRequests
    {
        get
        {
            lock (_lock)
            {
                return _requests.ToList();
            }
        }
    }

    /// <summary>Gets the Authorization headers of all API requests, exactly as received, to catch malformed ones.</summary>
    public IReadOnlyList<string> AuthorizationHeaders
    {
        get
        {
            lock (_lock)
            {
                return _requests.Where(r => r.Authorization is not null).Select(r => r.Authorization!).ToList();
            }
        }
    }

    /// <summary>Stops the server and disposes the certificates the org created.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // Release requests held by an injected delay, or the server would wait for them to finish.
        _stopping.Cancel();
        _server.Stop();
        _server.Dispose();
        lock (_lock)
        {
            foreach (var certificate in _ownedCertificates)
            {
                certificate.Dispose();
            }

            _ownedCertificates.Clear();
            foreach (var file in _ownedFiles)
            {
                File.Delete(file);
            }

            _ownedFiles.Clear();
        }

        _stopping.Dispose();
    }

    private DateTimeOffset Now => _options.TimeProvider.GetUtcNow();

    private void OwnFile(string path)
    {
        lock (_lock)
        {
            _ownedFiles.Add(path);
        }
    }

    private async Task<IResponseMessage> HandleAsync(IRequestMessage request)
    {
        var path = request.Path;
        ResponseMessage response;
        if (path.Equals("/services/oauth2/token", StringComparison.Ordinal))
        {
            response = await TokenAsync(request).ConfigureAwait(false);
        }
        else if (path.Equals("/services/oauth2/revoke", StringComparison.Ordinal))
        {
            response = Revoke(request);
        }
        else
        {
            response = Api(request, path);
        }

        Record(request, response);
        return response;
    }

    private void Record(IRequestMessage request, ResponseMessage response)
    {
        var authorization = Header(request, "Authorization");
        var isApi = !request.Path.StartsWith("/services/oauth2/token", StringComparison.Ordinal) && !request.Path.StartsWith("/services/oauth2/revoke", StringComparison.Ordinal);
        lock (_lock)
        {
            _requests.Add(new FakeRecordedRequest(request.Method, request.Path, request.RawQuery?.TrimStart('?'), authorization, Body(request), response.StatusCode is int s ? s : 200, Now));
            if (isApi)
            {
                var status = response.StatusCode is int code ? code : 200;
                _apiByStatus[status] = _apiByStatus.GetValueOrDefault(status) + 1;
                if (status == 401)
                {
                    _unauthorized++;
                }

                if (authorization is not null && !WellFormedAuthorization().IsMatch(authorization))
                {
                    _malformedAuthorization++;
                }
            }
        }
    }

    [GeneratedRegex("^(Bearer|OAuth) [^\\s]+$")]
    private static partial Regex WellFormedAuthorization();

    private static string? Header(IRequestMessage request, string name)
    {
        if (request.Headers is null)
        {
            return null;
        }

        foreach (var (key, values) in request.Headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return values.FirstOrDefault();
            }
        }

        return null;
    }

    private static string? Body(IRequestMessage request) =>
        request.Body ?? (request.BodyAsBytes is { Length: > 0 } bytes ? Encoding.UTF8.GetString(bytes) : null);

    private string Store(string sObjectType, JsonObject record)
    {
        lock (_lock)
        {
            if (record["Id"]?.GetValue<string>() is not { } id)
            {
                var prefix = sObjectType.ToUpperInvariant() switch { "ACCOUNT" => "001", "CONTACT" => "003", "OPPORTUNITY" => "006", _ => "a00" };
                id = $"{prefix}FK{++_nextId:D10}AAA";
                record["Id"] = id;
            }

            record["attributes"] = new JsonObject { ["type"] = sObjectType, ["url"] = $"/services/data/v62.0/sobjects/{sObjectType}/{id}" };
            if (!_records.TryGetValue(sObjectType, out var list))
            {
                _records[sObjectType] = list = [];
            }

            list.Add(record);
            return id;
        }
    }
}
