using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SalesforceJwt.Testing.Internal;
using WireMock;

namespace SalesforceJwt.Testing;

public sealed partial class FakeSalesforceOrg
{
    private ResponseMessage Api(IRequestMessage request, string path)
    {
        if (path.TrimEnd('/') == "/services/data")
        {
            return Answers.Json(HttpStatusCode.OK, """[{"label":"Winter '25","url":"/services/data/v62.0","version":"62.0"},{"label":"Spring '25","url":"/services/data/v63.0","version":"63.0"}]""");
        }

        if (path.StartsWith("/services/async/", StringComparison.Ordinal))
        {
            return BulkV1(request);
        }

        if (path.StartsWith("/services/Soap/", StringComparison.Ordinal))
        {
            return Soap(request);
        }

        if (path.StartsWith("/id/", StringComparison.Ordinal) || path == "/services/oauth2/userinfo")
        {
            return Identity(request);
        }

        var rest = RestPath().Match(path);
        if (rest.Success || path.StartsWith("/services/apexrest/", StringComparison.Ordinal))
        {
            return Rest(request, rest.Success ? rest.Groups["version"].Value : "v62.0", rest.Success ? rest.Groups["rest"].Value : null);
        }

        return Answers.Json(HttpStatusCode.NotFound, Answers.NotFound);
    }

    [GeneratedRegex("^/services/data/(?<version>v\\d+\\.\\d)(?<rest>/.*)?$")]
    private static partial Regex RestPath();

    [GeneratedRegex("<(?:\\w+:)?sessionId>([^<]*)</(?:\\w+:)?sessionId>")]
    private static partial Regex SoapSessionId();

    [GeneratedRegex("\\{[^{}]*\\}")]
    private static partial Regex JsonPart();

    /// <summary>Finds the live session for a token and extends it by Salesforce's rule; null if none.</summary>
    private FakeSession? Authenticate(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        lock (_lock)
        {
            var now = Now;
            if (_sessions.TryGetValue(token, out var session) && session.IsAlive(now, _options.SessionTimeout))
            {
                session.Touch(now, _options.SessionTimeout);
                return session;
            }

            return null;
        }
    }

    private static string? BearerToken(IRequestMessage request)
    {
        var header = Header(request, "Authorization");
        if (header is null)
        {
            return null;
        }

        foreach (var scheme in new[] { "Bearer ", "OAuth " })
        {
            if (header.StartsWith(scheme, StringComparison.Ordinal))
            {
                return header[scheme.Length..];
            }
        }

        return null;
    }

    private ResponseMessage SessionError(ResponseMessage answer)
    {
        Interlocked.Increment(ref _sessionErrors);
        return answer;
    }

    private ResponseMessage Rest(IRequestMessage request, string version, string? rest)
    {
        if (Authenticate(BearerToken(request)) is not { } session)
        {
            return SessionError(Answers.Json(HttpStatusCode.Unauthorized, Answers.RestExpired));
        }

        if (RestApiRefusesSessions)
        {
            return Answers.Json(HttpStatusCode.Unauthorized, Answers.RestNotAllowed);
        }

        // docs/salesforce-behaviour.md#api-usage-header: every REST answer reports usage; a spent allocation is a 403.
        if (!CountApiCall(out var used, out var limit))
        {
            return WithApiUsage(Answers.Json(HttpStatusCode.Forbidden, Answers.RequestLimitExceeded), used, limit);
        }

        var answer = rest is null ? Answers.Json(HttpStatusCode.OK, "{}")
            : AuthSessionQuery(session, ToRestInput(request, version, rest)) ?? Dispatch(ToRestInput(request, version, rest));
        return WithApiUsage(answer, used, limit);
    }

    private ResponseMessage BulkV1(IRequestMessage request)
    {
        // Bulk API 1.0 reads the session from X-SFDC-Session and answers an expired one with 400, not 401.
        if (Authenticate(Header(request, "X-SFDC-Session")) is null)
        {
            return SessionError(Answers.Text(HttpStatusCode.BadRequest, "application/xml", Answers.BulkExpired));
        }

        var status = request.Method.Equals("POST", StringComparison.OrdinalIgnoreCase) && request.Path.EndsWith("/job", StringComparison.Ordinal)
            ? HttpStatusCode.Created
            : HttpStatusCode.OK;
        return Answers.Text(status, "application/xml",
            """<?xml version="1.0" encoding="UTF-8"?><jobInfo xmlns="http://www.force.com/2009/06/asyncapi/dataload"><id>750FK0000000001AAA</id><state>Open</state></jobInfo>""");
    }

    private ResponseMessage Soap(IRequestMessage request)
    {
        // SOAP and Metadata carry the session in the envelope's SessionHeader, not in a header.
        var sessionId = SoapSessionId().Match(Body(request) ?? string.Empty);
        if (!sessionId.Success || Authenticate(sessionId.Groups[1].Value) is null)
        {
            return SessionError(Answers.Text(HttpStatusCode.InternalServerError, "text/xml;charset=UTF-8", Answers.SoapExpired));
        }

        return Answers.Text(HttpStatusCode.OK, "text/xml;charset=UTF-8",
            """<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><ok/></soapenv:Body></soapenv:Envelope>""");
    }

    private ResponseMessage Identity(IRequestMessage request)
    {
        var session = Authenticate(BearerToken(request));
        if (session is null)
        {
            return SessionError(Answers.Text(HttpStatusCode.Forbidden, "text/plain", "Bad_OAuth_Token"));
        }

        var instance = Url.GetLeftPart(UriPartial.Authority);
        return Answers.Json(HttpStatusCode.OK, $$$"""
            {"id":"{{{instance}}}/id/{{{OrganizationId}}}/{{{session.User.UserId}}}","user_id":"{{{session.User.UserId}}}","organization_id":"{{{OrganizationId}}}",
             "username":"{{{session.User.Username}}}","active":true,"urls":{"rest":"{{{instance}}}/services/data/v62.0/"}}
            """);
    }
}
