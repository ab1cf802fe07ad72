using System.Net;
using SalesforceJwt.Diagnostics;
using SalesforceJwt.Rest;

namespace SalesforceJwt.Tests;

/// <summary>
/// An application unit-testing its own handling of SalesforceJwt's failures: it builds each exception itself, throws it
/// from a stand-in for the library, and its handler (<see cref="AppHandlesAsync"/>) decides by code and transience.
/// </summary>
public sealed class ExceptionConstructionTests
{
    private static readonly DateTimeOffset s_resumesAt = new(2026, 12, 6, 23, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task TokenEndpointException_ConstructedByUser_HandlerSeesCodeTransienceAndDetails()
    {
        var inner = new HttpRequestException("connection refused");
        var thrown = new SalesforceTokenEndpointException(
            SalesforceErrorCode.TokenEndpointUnreachable, "Login host down for maintenance.", HttpStatusCode.ServiceUnavailable,
            "text/html", "<html>maintenance</html>", isTransient: true, innerException: inner);

        var outcome = await AppHandlesAsync(thrown);

        Assert.Equal("retry later (TokenEndpointUnreachable): Login host down for maintenance.", outcome);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, thrown.StatusCode);
        Assert.Equal("text/html", thrown.ContentType);
        Assert.Equal("<html>maintenance</html>", thrown.BodyExcerpt);
        Assert.Same(inner, thrown.InnerException);
    }

    [Fact]
    public async Task TokenEndpointException_OnlyCodeAndMessage_IsNotTransientAndHasNoDetails()
    {
        var thrown = new SalesforceTokenEndpointException(SalesforceErrorCode.UnexpectedTokenResponse, "Not a token response.");

        Assert.Equal("fix (UnexpectedTokenResponse): Not a token response.", await AppHandlesAsync(thrown));
        Assert.False(thrown.IsTransient);
        Assert.Null(thrown.StatusCode);
        Assert.Null(thrown.ContentType);
        Assert.Null(thrown.BodyExcerpt);
        Assert.Null(thrown.InnerException);
    }

    [Fact]
    public async Task AuthenticationException_ConstructedByUser_MessageComposedFromWhatSalesforceSaid()
    {
        var thrown = new SalesforceAuthenticationException(
            SalesforceErrorCode.UserNotApproved, HttpStatusCode.BadRequest, "invalid_grant", "user hasn't approved this consumer",
            "Pre-authorize the user's profile.", isTransient: false);

        Assert.Equal(
            "fix (UserNotApproved): Salesforce refused the JWT bearer token request: 400 invalid_grant: user hasn't approved this consumer. Pre-authorize the user's profile.",
            await AppHandlesAsync(thrown));
        Assert.Equal(HttpStatusCode.BadRequest, thrown.StatusCode);
        Assert.Equal("invalid_grant", thrown.Error);
        Assert.Equal("user hasn't approved this consumer", thrown.ErrorDescription);
        Assert.Equal("Pre-authorize the user's profile.", thrown.Hint);
    }

    [Fact]
    public void AuthenticationException_IsTransientAsGiven()
    {
        var thrown = new SalesforceAuthenticationException(
            SalesforceErrorCode.Unknown, HttpStatusCode.BadRequest, "invalid_grant", errorDescription: null, "Try again.", isTransient: true);

        Assert.True(thrown.IsTransient);
        Assert.Equal("Salesforce refused the JWT bearer token request: 400 invalid_grant. Try again.", thrown.Message);
    }

    [Fact]
    public async Task PausedException_ConstructedByUser_HandlerReadsPausedUntilAndCause()
    {
        var cause = new SalesforceAuthenticationException(
            SalesforceErrorCode.LoginRateExceeded, HttpStatusCode.BadRequest, "invalid_grant", "login rate exceeded", "Wait.", isTransient: true);
        var thrown = new SalesforceReauthenticationPausedException(SalesforceErrorCode.LoginRateExceeded, s_resumesAt, "Logins paused.", cause);

        Assert.Equal("paused until 2026-12-06T23:00:00.0000000+00:00", await AppHandlesAsync(thrown));
        Assert.True(thrown.IsTransient);
        Assert.Same(cause, thrown.InnerException);
        Assert.Equal("Logins paused.", thrown.Message);
        Assert.Null(new SalesforceReauthenticationPausedException(SalesforceErrorCode.LoginBudgetExhausted, s_resumesAt, "Budget spent.").InnerException);
    }

    [Fact]
    public async Task SessionException_ConstructedByUser_IsNeverTransient()
    {
        var thrown = new SalesforceSessionException(
            SalesforceErrorCode.SessionRejectedAfterRenewal, "The new token was rejected too.", HttpStatusCode.Unauthorized,
            "INVALID_SESSION_ID", "[{\"errorCode\":\"INVALID_SESSION_ID\"}]");

        Assert.Equal("fix (SessionRejectedAfterRenewal): The new token was rejected too.", await AppHandlesAsync(thrown));
        Assert.False(thrown.IsTransient);
        Assert.Equal(HttpStatusCode.Unauthorized, thrown.StatusCode);
        Assert.Equal("INVALID_SESSION_ID", thrown.Reason);
        Assert.Equal("[{\"errorCode\":\"INVALID_SESSION_ID\"}]", thrown.BodyExcerpt);

        var bare = new SalesforceSessionException(SalesforceErrorCode.SessionExpiredNotReplayable, "Not replayable.");
        Assert.Null(bare.StatusCode);
        Assert.Null(bare.Reason);
        Assert.Null(bare.BodyExcerpt);
    }

    [Fact]
    public async Task ConfigurationException_ConstructedByUser_HasTheFixedCodeAndNamesTheOption()
    {
        var inner = new FileNotFoundException("missing", "/keys/app.pem");
        var thrown = new SalesforceConfigurationException("PrivateKeyPath", "The key file /keys/app.pem does not exist.", inner);

        Assert.Equal("fix (InvalidSigningKey): The key file /keys/app.pem does not exist.", await AppHandlesAsync(thrown));
        Assert.Equal(SalesforceErrorCode.InvalidSigningKey, thrown.Code);
        Assert.False(thrown.IsTransient);
        Assert.Equal("PrivateKeyPath", thrown.OptionName);
        Assert.Same(inner, thrown.InnerException);
    }

    [Fact]
    public async Task ApiException_ConstructedByUser_HandlerSeesTheErrorArray()
    {
        var errors = new[] { new SalesforceApiError("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.") };
        var thrown = new SalesforceApiException(SalesforceErrorCode.RequestLimitExceeded, "Daily allocation spent.", HttpStatusCode.Forbidden, errors);

        Assert.Equal("retry later (RequestLimitExceeded): Daily allocation spent.", await AppHandlesAsync(thrown));
        Assert.True(thrown.IsRequestLimitExceeded);
        Assert.Equal(HttpStatusCode.Forbidden, thrown.StatusCode);
        Assert.Same(errors, thrown.Errors);
        Assert.Equal("REQUEST_LIMIT_EXCEEDED", thrown.ErrorCode);
        Assert.Null(thrown.BodyExcerpt);
    }

    [Theory]
    [InlineData(SalesforceErrorCode.ApiError, HttpStatusCode.BadRequest, "MALFORMED_QUERY", false)]
    [InlineData(SalesforceErrorCode.ApiError, HttpStatusCode.BadRequest, "UNABLE_TO_LOCK_ROW", true)]
    [InlineData(SalesforceErrorCode.ApiError, HttpStatusCode.ServiceUnavailable, "SERVER_UNAVAILABLE", true)]
    [InlineData(SalesforceErrorCode.ApiError, HttpStatusCode.InternalServerError, null, true)]
    [InlineData(SalesforceErrorCode.ApiError, HttpStatusCode.NotFound, null, false)]
    [InlineData(SalesforceErrorCode.RequestLimitExceeded, HttpStatusCode.Forbidden, "REQUEST_LIMIT_EXCEEDED", true)]
    public void ApiException_IsTransient_FollowsCodeStatusAndFirstError(SalesforceErrorCode code, HttpStatusCode status, string? errorCode, bool transient)
    {
        var errors = errorCode is null ? null : new[] { new SalesforceApiError(errorCode, "m") };

        var thrown = new SalesforceApiException(code, "m", status, errors, errorCode is null ? "<html>oops</html>" : null);

        Assert.Equal(transient, thrown.IsTransient);
        Assert.Equal(errorCode, thrown.ErrorCode);
        Assert.Equal(errorCode is null ? 0 : 1, thrown.Errors.Count);
    }

    [Fact]
    public void UserText_IsKeptAsGiven_NoRedactionApplied()
    {
        // The library redacts excerpts of what servers send before building its own exceptions; text a user passes is theirs.
        const string SessionIdLike = "00D000000000001!AQ4AQFakeSessionForTests";
        var body = $"{{\"sessionId\":\"{SessionIdLike}\"}}";
        Assert.DoesNotContain(SessionIdLike, SafeExcerpt.From(body), StringComparison.Ordinal);

        var thrown = new SalesforceSessionException(SalesforceErrorCode.SessionRejectedAfterRenewal, $"Rejected {SessionIdLike}.", bodyExcerpt: body);

        Assert.Equal($"Rejected {SessionIdLike}.", thrown.Message);
        Assert.Equal(body, thrown.BodyExcerpt);
        Assert.StartsWith($"SalesforceJwt.SalesforceSessionException: Rejected {SessionIdLike}.", thrown.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Constructors_RefuseNullForPropertiesThatAreNeverNull()
    {
        Assert.Equal("optionName", Assert.Throws<ArgumentNullException>(() => new SalesforceConfigurationException(null!, "m")).ParamName);
        Assert.Equal("error", Assert.Throws<ArgumentNullException>(
            () => new SalesforceAuthenticationException(SalesforceErrorCode.Unknown, HttpStatusCode.BadRequest, null!, null, "h", false)).ParamName);
        Assert.Equal("hint", Assert.Throws<ArgumentNullException>(
            () => new SalesforceAuthenticationException(SalesforceErrorCode.Unknown, HttpStatusCode.BadRequest, "e", null, null!, false)).ParamName);
    }

    /// <summary>What an application's own code might do with a failed call.</summary>
    private static async Task<string> AppHandlesAsync(SalesforceJwtException failure)
    {
        try
        {
            await Task.FromException(failure);
            return "ok";
        }
        catch (SalesforceJwtException ex) when (ex.Code == SalesforceErrorCode.LoginRateExceeded)
        {
            return $"paused until {((SalesforceReauthenticationPausedException)ex).PausedUntil:O}";
        }
        catch (SalesforceJwtException ex) when (ex.IsTransient)
        {
            return $"retry later ({ex.Code}): {ex.Message}";
        }
        catch (SalesforceJwtException ex)
        {
            return $"fix ({ex.Code}): {ex.Message}";
        }
    }
}
