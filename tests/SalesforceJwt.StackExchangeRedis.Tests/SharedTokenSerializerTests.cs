using System.Text;
using SalesforceJwt.StackExchangeRedis.Internal;
using SalesforceJwt.Tokens;

namespace SalesforceJwt.StackExchangeRedis.Tests;

/// <summary>The shared entry's format: what instances of different versions of the package write and read.</summary>
public sealed class SharedTokenSerializerTests
{
    private static readonly DateTimeOffset s_issued = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void EntryWrittenBeforeTheEstimateWasShared_StillReads_WithNoEvidence()
    {
        // Exactly what the first release of the format wrote (no session_timeout).
        var old = """
            {"v":1,"access_token":"00Dxx!old","instance_url":"https://example.my.salesforce.com","acquired_at":"2026-11-26T08:00:00+00:00","last_activity":"2026-11-26T09:05:00+00:00","token_type":"Bearer","id":"https://login.salesforce.com/id/00Dxx/005xx","organization_id":"00Dxx","user_id":"005xx","scope":"api","username":"integration@example.com","issued_at":"2026-11-26T08:00:00+00:00"}
            """;

        var shared = SharedTokenSerializer.Deserialize(Encoding.UTF8.GetBytes(old));

        Assert.Equal("00Dxx!old", shared.Token.AccessToken);
        Assert.Equal(s_issued.AddMinutes(65), shared.LastRecordedActivity);
        Assert.Equal("00Dxx", shared.Token.OrganizationId);
        Assert.Null(shared.SessionTimeoutEvidence);
    }

    [Fact]
    public void Evidence_RoundTrips_InTheSameFormatVersion()
    {
        var token = new SalesforceToken("00Dxx!new", new Uri("https://example.my.salesforce.com"), s_issued);
        var shared = new SalesforceSharedToken(token, s_issued) { SessionTimeoutEvidence = "1;8;1;0;0;0;0;638999999999999999" };

        var bytes = SharedTokenSerializer.Serialize(shared);
        var read = SharedTokenSerializer.Deserialize(bytes);

        Assert.Equal(shared.SessionTimeoutEvidence, read.SessionTimeoutEvidence);
        Assert.Equal("00Dxx!new", read.Token.AccessToken);
        Assert.Contains("\"v\":1,", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        Assert.DoesNotContain("session_timeout", Encoding.UTF8.GetString(SharedTokenSerializer.Serialize(new SalesforceSharedToken(token, s_issued))), StringComparison.Ordinal);
    }
}
