using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using SalesforceJwt.Testing.Internal;
using WireMock;

namespace SalesforceJwt.Testing;

public sealed partial class FakeSalesforceOrg
{
    private const string JwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    private async Task<ResponseMessage> TokenAsync(IRequestMessage request)
    {
        var concurrent = Interlocked.Increment(ref _concurrentTokenRequests);
        try
        {
            (FakeTokenFault Fault, TimeSpan Delay)? fault = null;
            lock (_lock)
            {
                _tokenRequests++;
                _maxConcurrentTokenRequests = Math.Max(_maxConcurrentTokenRequests, concurrent);
                if (_faults.Count > 0)
                {
                    fault = _faults.Dequeue();
                    _tokenFaults++;
                }
            }

            if (fault is { } injected)
            {
                if (injected.Fault != FakeTokenFault.Delay)
                {
                    return Faulted(injected.Fault);
                }

                // The timer exists before the request counts as delayed, so a test that sees the count can advance the clock.
                var delay = Task.Delay(injected.Delay, _options.TimeProvider, _stopping.Token);
                Interlocked.Increment(ref _delayedTokenRequests);
                try
                {
                    await delay.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return Answers.Text(HttpStatusCode.ServiceUnavailable, "text/plain", "The fake org is stopping.");
                }
                finally
                {
                    Interlocked.Decrement(ref _delayedTokenRequests);
                }
            }

            return Exchange(request);
        }
        finally
        {
            Interlocked.Decrement(ref _concurrentTokenRequests);
        }
    }

    /// <summary>Closes the connection without an answer when the next injected fault says so; WireMock itself cannot.</summary>
    private async Task DropConnectionAsync(HttpContext context, Func<Task> next)
    {
        if (context.Request.Path == "/services/oauth2/token")
        {
            var drop = false;
            lock (_lock)
            {
                if (_faults.TryPeek(out var fault) && fault.Fault == FakeTokenFault.DropConnection)
                {
                    _faults.Dequeue();
                    _tokenRequests++;
                    _tokenFaults++;
                    _requests.Add(new FakeRecordedRequest(context.Request.Method, context.Request.Path, null, null, null, 0, Now));
                    drop = true;
                }
            }

            if (drop)
            {
                context.Abort();
                return;
            }
        }

        await next().ConfigureAwait(false);
    }

    private static ResponseMessage Faulted(FakeTokenFault fault) => fault switch
    {
        FakeTokenFault.ServiceUnavailable => Answers.Text(HttpStatusCode.ServiceUnavailable, "text/html", "<html><body><h1>Service Unavailable</h1></body></html>"),
        FakeTokenFault.MaintenancePage => Answers.Text(HttpStatusCode.InternalServerError, "text/html;charset=UTF-8", Answers.MaintenancePage),
        FakeTokenFault.MalformedJson => Answers.Json(HttpStatusCode.OK, "{\"access_token\":\"00DFK0000000001!AQ"),
        FakeTokenFault.MissingAccessToken => Answers.Json(HttpStatusCode.OK, """{"scope":"api","token_type":"Bearer"}"""),
        _ => Answers.Text(HttpStatusCode.TooManyRequests, "text/plain", "Too Many Requests"),
    };

    private ResponseMessage Exchange(IRequestMessage request)
    {
        var contentType = Header(request, "Content-Type") ?? string.Empty;
        var form = contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) ? Form.Parse(Body(request)) : [];
        if (!string.Equals(request.Method, "POST", StringComparison.OrdinalIgnoreCase) || !form.TryGetValue("grant_type", out var grantType))
        {
            return TokenError("invalid_request", "grant type is missing");
        }

        if (grantType != JwtBearerGrant)
        {
            return TokenError("unsupported_grant_type", "grant type not supported");
        }

        var (claims, parts) = AssertionCheck.Parse(form.GetValueOrDefault("assertion") ?? string.Empty);
        if (claims is null || parts is null)
        {
            return TokenError(AssertionCheck.InvalidAssertion);
        }

        FakeConnectedApp? app;
        FakeUser? user;
        lock (_lock)
        {
            _apps.TryGetValue(claims.Issuer, out app);
            _users.TryGetValue(claims.Subject ?? string.Empty, out user);
        }

        if (app is null)
        {
            return TokenError("invalid_client_id", "client identifier invalid");
        }

        using (var publicKey = app.Certificate.GetRSAPublicKey())
        {
            if (publicKey is null || !AssertionCheck.SignatureVerifies(parts, publicKey))
            {
                return TokenError(AssertionCheck.InvalidAssertion);
            }
        }

        var now = Now;
        var audienceFailure = CheckAudience(app, claims.Audience);
        if (audienceFailure is not null)
        {
            return TokenError(audienceFailure);
        }

        if (claims.Expires is not { } expires || expires <= now)
        {
            return TokenError("invalid_grant", "expired authorization code");
        }

        if (expires - now > _options.MaxAssertionLifetime)
        {
            // Salesforce documents a 3-minute window; what it answers past it is not documented (docs/salesforce-behaviour.md#assertion-claims-and-exp-window).
            return TokenError(AssertionCheck.InvalidAssertion);
        }

        return Login(app, user, now);
    }

    private AssertionCheck.Failure? CheckAudience(FakeConnectedApp app, string? audience)
    {
        var legacyHost = audience is not null
            && (audience.Equals(s_productionAudience.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal)
                || audience.Equals(s_sandboxAudience.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal));
        if (app.IsExternalClientApp && legacyHost)
        {
            return new("app_not_found", "External client app is not installed in this org");
        }

        return audience is not null && AcceptedAudiences.Contains(audience) ? null : new("invalid_grant", "audience is invalid");
    }

    private ResponseMessage Login(FakeConnectedApp app, FakeUser? user, DateTimeOffset now)
    {
        // A wrong or unknown username looks exactly like a missing approval to the caller (docs/salesforce-behaviour.md#errors-of-the-token-endpoint).
        if (user is null)
        {
            return TokenError("invalid_grant", "user hasn't approved this consumer");
        }

        lock (_lock)
        {
            if (!_logins.TryGetValue(user.Username, out var logins))
            {
                _logins[user.Username] = logins = [];
            }

            logins.RemoveAll(at => now - at >= TimeSpan.FromHours(1));
            if (_options.LoginRateLimitPerHour is { } limit && logins.Count >= limit)
            {
                return TokenErrorLocked("invalid_grant", "login rate exceeded");
            }

            logins.Add(now);
            _loginTotals[user.Username] = _loginTotals.GetValueOrDefault(user.Username) + 1;
        }

        if (!user.IsActive)
        {
            return TokenError("inactive_user", "User is inactive");
        }

        if (!user.IsApprovedFor(app.ConsumerKey))
        {
            return app.AdminApprovedUsersOnly
                ? TokenError("invalid_app_access", "user is not admin approved to access this app")
                : TokenError("invalid_grant", "user hasn't approved this consumer");
        }

        var accessToken = $"{OrganizationId[..15]}!AQ{Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)).Replace('+', '.').Replace('/', '_').TrimEnd('=')}";
        lock (_lock)
        {
            _sessions[accessToken] = new FakeSession(accessToken, user, app, now);
            _tokensIssued++;
        }

        var instance = Url.GetLeftPart(UriPartial.Authority);
        return Answers.Json(HttpStatusCode.OK, $$"""
            {"access_token":"{{accessToken}}","scope":"api","instance_url":"{{instance}}","id":"{{instance}}/id/{{OrganizationId}}/{{user.UserId}}","token_type":"Bearer"}
            """);
    }

    private ResponseMessage TokenError(AssertionCheck.Failure failure) => TokenError(failure.Error, failure.Description);

    private ResponseMessage TokenError(string error, string description)
    {
        lock (_lock)
        {
            return TokenErrorLocked(error, description);
        }
    }

    private ResponseMessage TokenErrorLocked(string error, string description)
    {
        _tokenErrors[description] = _tokenErrors.GetValueOrDefault(description) + 1;
        return Answers.Json(HttpStatusCode.BadRequest, $$"""{"error":"{{error}}","error_description":"{{description}}"}""");
    }

    private ResponseMessage Revoke(IRequestMessage request)
    {
        var token = Form.Parse(Body(request)).GetValueOrDefault("token") ?? Form.Parse(request.RawQuery).GetValueOrDefault("token");
        if (token is null || !ExpireSession(token))
        {
            return Answers.Json(HttpStatusCode.BadRequest, """{"error":"invalid_token","error_description":"invalid token"}""");
        }

        return Answers.Empty(HttpStatusCode.OK);
    }
}
