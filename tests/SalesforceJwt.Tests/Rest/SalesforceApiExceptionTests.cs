using System.Net;
using System.Text;
using SalesforceJwt.Rest;
using SalesforceJwt.Tests.TestSupport;

namespace SalesforceJwt.Tests.Rest;

/// <summary>Each of Salesforce's error arrays becomes a <see cref="SalesforceApiException"/> carrying its code.</summary>
public sealed class SalesforceApiExceptionTests : IDisposable
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly FakeOrgHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task NotFound_Is404WithItsCode()
    {
        var ex = await Assert.ThrowsAsync<SalesforceApiException>(() => _h.Client.GetRecordAsync<Account>("Account", "001000000000404AAA", cancellationToken: _ct));

        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
        Assert.Equal("NOT_FOUND", ex.ErrorCode);
        Assert.Equal(SalesforceErrorCode.ApiError, ex.Code);
        Assert.False(ex.IsTransient);
        Assert.Contains("/services/data/v62.0/sobjects/Account/001000000000404AAA", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedQuery_IsThrownByTheEnumeration()
    {
        var ex = await Assert.ThrowsAsync<SalesforceApiException>(async () => await _h.Client.QueryAsync<Account>("SELECT Id FROM Account GROUP BY Name", cancellationToken: _ct).ToListAsync(_ct));

        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Equal("MALFORMED_QUERY", ex.ErrorCode);
        Assert.DoesNotContain("GROUP", ex.Message.Split(':')[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidField_IsThrownForAFieldTheObjectDoesNotHave()
    {
        _h.Org.DefineFields("Account", "Name");

        var ex = await Assert.ThrowsAsync<SalesforceApiException>(async () => await _h.Client.QueryAsync<Account>("SELECT Nmae FROM Account", cancellationToken: _ct).ToListAsync(_ct));

        Assert.Equal("INVALID_FIELD", ex.ErrorCode);
    }

    [Fact]
    public async Task RequiredFieldMissing_CarriesTheFields()
    {
        var ex = await Assert.ThrowsAsync<SalesforceApiException>(() => _h.Client.CreateRecordAsync("Contact", new { FirstName = "Ada" }, cancellationToken: _ct));

        var error = Assert.Single(ex.Errors);
        Assert.Equal("REQUIRED_FIELD_MISSING", error.ErrorCode);
        Assert.Equal(["LastName"], error.Fields);
    }

    [Fact]
    public async Task DuplicateValue_OnAnExternalId()
    {
        _h.Org.AddExternalIdField("Account", "Code__c");
        await _h.Client.CreateRecordAsync("Account", new { Name = "A", Code__c = "X1" }, cancellationToken: _ct);

        var ex = await Assert.ThrowsAsync<SalesforceApiException>(() => _h.Client.CreateRecordAsync("Account", new { Name = "B", Code__c = "X1" }, cancellationToken: _ct));

        Assert.Equal("DUPLICATE_VALUE", ex.ErrorCode);
    }

    [Fact]
    public async Task RequestLimitExceeded_IsADistinctCase_AndNeverAnAuthenticationProblem()
    {
        _h.Org.DailyApiRequestLimit = 2;
        await _h.Client.GetApiVersionsAsync(_ct);
        _ = await _h.Client.QueryPageAsync<Account>("SELECT Id FROM Account", cancellationToken: _ct);
        _ = await _h.Client.QueryPageAsync<Account>("SELECT Id FROM Account", cancellationToken: _ct);

        var ex = await Assert.ThrowsAsync<SalesforceApiException>(() => _h.Client.QueryPageAsync<Account>("SELECT Id FROM Account", cancellationToken: _ct));

        Assert.Equal(HttpStatusCode.Forbidden, ex.StatusCode);
        Assert.Equal(SalesforceErrorCode.RequestLimitExceeded, ex.Code);
        Assert.True(ex.IsRequestLimitExceeded);
        Assert.True(ex.IsTransient);
        Assert.Equal("REQUEST_LIMIT_EXCEEDED", ex.ErrorCode);
        Assert.Contains("not an authentication problem", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, _h.Org.Counters.TokenRequests);
    }
}
