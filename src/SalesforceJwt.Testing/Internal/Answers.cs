using System.Net;
using WireMock;
using WireMock.Types;
using WireMock.Util;

namespace SalesforceJwt.Testing.Internal;

/// <summary>Salesforce's answers, byte for byte where the facts file quotes them.</summary>
internal static class Answers
{
    public const string RestExpired = """[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]""";
    public const string RestNotAllowed = """[{"message":"This session is not valid for use with the REST API","errorCode":"INVALID_SESSION_ID"}]""";
    public const string RequestLimitExceeded = """[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]""";
    public const string NotFound = """[{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}]""";

    public const string BulkExpired =
        """<?xml version="1.0" encoding="UTF-8"?><error xmlns="http://www.force.com/2009/06/asyncapi/dataload"><exceptionCode>InvalidSessionId</exceptionCode><exceptionMessage>Invalid session id</exceptionMessage></error>""";

    public const string SoapExpired =
        """<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="urn:fault.partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><soapenv:Fault><faultcode>sf:INVALID_SESSION_ID</faultcode><faultstring>INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session</faultstring><detail><sf:UnexpectedErrorFault xsi:type="sf:UnexpectedErrorFault"><sf:exceptionCode>INVALID_SESSION_ID</sf:exceptionCode><sf:exceptionMessage>Invalid Session ID found in SessionHeader: Illegal Session</sf:exceptionMessage></sf:UnexpectedErrorFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>""";

    public const string MaintenancePage =
        "<html><head><title>Salesforce - Down For Maintenance</title></head><body><h1>Down For Maintenance</h1><p>Salesforce is down for maintenance. We'll be back soon.</p></body></html>";

    public static ResponseMessage Json(HttpStatusCode status, string body) => Text(status, "application/json;charset=UTF-8", body);

    public static ResponseMessage Text(HttpStatusCode status, string contentType, string body) => new()
    {
        StatusCode = (int)status,
        Headers = new Dictionary<string, WireMockList<string>>
        {
            ["Content-Type"] = new(contentType),
            ["Cache-Control"] = new("no-cache,must-revalidate,max-age=0,no-store,private"),
        },
        BodyData = new BodyData { BodyAsString = body, DetectedBodyType = BodyType.String },
    };

    public static ResponseMessage Empty(HttpStatusCode status) => new() { StatusCode = (int)status };
}
