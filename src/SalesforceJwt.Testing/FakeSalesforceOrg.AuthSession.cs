using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using SalesforceJwt.Testing.Internal;
using SalesforceJwt.Testing.Internal.Soql;
using WireMock;

namespace SalesforceJwt.Testing;

/// <summary>
/// <c>AuthSession</c>: the calling user's sessions, with <c>NumSecondsValid</c> (the org's timeout now) and
/// <c>LastModifiedDate</c> (the last recorded activity); <c>IsCurrent</c> marks the calling session. Answered only to
/// users granted <see cref="FakeAuthSessionAccess.Granted"/>.
/// </summary>
public sealed partial class FakeSalesforceOrg
{
    private int _authSessionQueries;

    /// <summary>Gets how many <c>AuthSession</c> queries the org has answered or refused.</summary>
    public int AuthSessionQueries => Volatile.Read(ref _authSessionQueries);

    /// <summary>Answers a query of <c>AuthSession</c>; null for any other request.</summary>
    private ResponseMessage? AuthSessionQuery(FakeSession caller, RestInput input)
    {
        if (input.Method != "GET" || input.Segments is not ["query"]
            || Form.Parse(input.Query).GetValueOrDefault("q") is not { } soql
            || !soql.Contains("AuthSession", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        SoqlQuery query;
        try
        {
            query = SoqlQuery.Parse(soql);
        }
        catch (SoqlException ex)
        {
            return Error(HttpStatusCode.BadRequest, ex.ErrorCode, ex.Message);
        }

        if (!string.Equals(query.From, "AuthSession", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        Interlocked.Increment(ref _authSessionQueries);
        switch (caller.User.AuthSessionAccess)
        {
            case FakeAuthSessionAccess.Refused:
                return Error(HttpStatusCode.Forbidden, "INSUFFICIENT_ACCESS", "Insufficient Privileges: you need the Manage Users permission to query AuthSession");
            case FakeAuthSessionAccess.Hidden:
                return Error(HttpStatusCode.BadRequest, "INVALID_TYPE",
                    "sObject type 'AuthSession' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name.");
        }

        lock (_lock)
        {
            var timeout = (long)_options.SessionTimeout.TotalSeconds;
            var rows = _sessions.Values.Where(s => ReferenceEquals(s.User, caller.User)).Select((s, i) => new JsonObject
            {
                ["Id"] = $"0AkFK{i:D10}AAA",
                ["UsersId"] = s.User.UserId,
                ["NumSecondsValid"] = timeout,
                ["LastModifiedDate"] = s.LastRecordedActivity.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture),
                ["CreatedDate"] = s.IssuedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture),
                ["IsCurrent"] = ReferenceEquals(s, caller),
                ["SessionType"] = "Oauth2",
                ["LoginType"] = "Remote Access 2.0",
            });
            var projected = query.Run(rows).Select(r => query.Project(r, "AuthSession", input.Version)).ToList();
            return Page(input.Version, projected, 0, _options.QueryBatchSize, cursorId: null);
        }
    }
}
