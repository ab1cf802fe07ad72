using Microsoft.Extensions.Logging;
using SalesforceJwt.Testing;
using SalesforceJwt.Tests.TestSupport;

namespace SalesforceJwt.Tests.Http;

/// <summary>A failing token endpoint logs one warning per failed attempt and one error for the final failure, each with the host and the reason.</summary>
public sealed class TokenEndpointRetryLoggingTests : IDisposable
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly FakeOrgHarness _h = new();

    public void Dispose() => _h.Dispose();

    private List<Microsoft.Extensions.Logging.Testing.FakeLogRecord> WarningsAndErrors() =>
        _h.Logs.GetSnapshot().Where(r => r.Level >= LogLevel.Warning).ToList();

    [Fact]
    public async Task EveryAttemptFails_OneWarningPerRetriedAttempt_OneErrorAtTheEnd_NothingFromPolly()
    {
        _h.Org.InjectTokenFaults(FakeTokenFault.ServiceUnavailable, 4);

        await Assert.ThrowsAnyAsync<SalesforceJwtException>(() => _h.Client.GetAsync("services/data/v62.0/limits", _ct));

        var host = _h.Org.Url.Host;
        var logged = WarningsAndErrors();
        Assert.Equal(4, _h.Org.Counters.TokenRequests);
        Assert.Equal(4, logged.Count);
        Assert.All(logged.Take(3), r =>
        {
            Assert.Equal("TokenAttemptFailed", r.Id.Name);
            Assert.Equal(LogLevel.Warning, r.Level);
            Assert.Contains(host, r.Message, StringComparison.Ordinal);
            Assert.Contains("HTTP 503", r.Message, StringComparison.Ordinal);
        });
        Assert.Equal(["attempt 1", "attempt 2", "attempt 3"], logged.Take(3).Select(r => r.Message.Split(" to ")[0].Replace("Token request ", "", StringComparison.Ordinal)));
        var final = logged[3];
        Assert.Equal("TokenRequestFailed", final.Id.Name);
        Assert.Equal(LogLevel.Error, final.Level);
        Assert.Contains($"to {host} failed", final.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_h.Logs.GetSnapshot(), r => r.Category?.StartsWith("Polly", StringComparison.Ordinal) == true && r.Level >= LogLevel.Information);
    }

    [Fact]
    public async Task SecondAttemptSucceeds_OneWarning_NoError()
    {
        _h.Org.InjectTokenFaults(FakeTokenFault.ServiceUnavailable, 1);

        using var response = await _h.Client.GetAsync("services/data/v62.0/limits", _ct);

        Assert.True(response.IsSuccessStatusCode);
        var warning = Assert.Single(WarningsAndErrors());
        Assert.Equal("TokenAttemptFailed", warning.Id.Name);
    }
}
