using SalesforceJwt.Tokens.Internal;
using static SalesforceJwt.Tests.Tokens.SessionTimelines;

namespace SalesforceJwt.Tests.Tokens;

/// <summary>How instances of a fleet combine what they learned of the session timeout: the merge rule and its wire form.</summary>
public sealed class SharedSessionTimeoutTests
{
    // Bits of SessionTimeoutEstimator.Candidates: 15 min, 30 min, 1 h, 2 h, 4 h, 8 h, 12 h, 24 h.
    private const int M30 = 1 << 1, H1 = 1 << 2, H2 = 1 << 3, H4 = 1 << 4, H8 = 1 << 5;

    private static SharedSessionTimeout State(int set, bool bounded, double changedAtMinutes, int forced = 0) =>
        new(set, bounded, 0, false, forced, 0, 0, At(changedAtMinutes).UtcTicks);

    [Fact]
    public void Merge_BothBounded_KeepsWhatBothAllow()
    {
        var merged = SharedSessionTimeout.Merge(State(H1 | H2, true, 10), State(H2 | H4, true, 20));

        Assert.Equal(H2, merged.Set);
        Assert.True(merged.Bounded);
        Assert.Equal(At(20).UtcTicks, merged.ChangedAt);
    }

    [Fact]
    public void Merge_OneBoundedOneOnlyRuledOutShortOnes_TheIntersectionIsBounded()
    {
        // One instance saw a session end (at most 2 h); the other only saw sessions outlive 30 min.
        var merged = SharedSessionTimeout.Merge(State(M30 | H1 | H2, true, 10), State(H1 | H2 | H4 | H8, false, 20));

        Assert.Equal(H1 | H2, merged.Set);
        Assert.True(merged.Bounded);
    }

    [Fact]
    public void Merge_NothingInCommon_TheNewerWins_InEitherOrder()
    {
        // The admin lowered the timeout from 2 h to 30 min; one instance followed, the other still holds 2 h.
        var old = State(H2, true, 10, forced: 1);
        var followed = State(M30, true, 300, forced: 2);

        var ab = SharedSessionTimeout.Merge(old, followed);
        var ba = SharedSessionTimeout.Merge(followed, old);

        Assert.Equal(ab, ba);
        Assert.Equal(M30, ab.Set);
        Assert.Equal(2, ab.ForcedEnds);
        Assert.Equal(At(300).UtcTicks, ab.ChangedAt);
    }

    [Fact]
    public void Merge_ARaisedTimeoutStartedAgainUnbounded_ReplacesTheOlderBoundedSet()
    {
        var merged = SharedSessionTimeout.Merge(State(M30, true, 10), State(H1 | H2 | H4 | H8, false, 200));

        Assert.Equal(H1 | H2 | H4 | H8, merged.Set);
        Assert.False(merged.Bounded);
    }

    [Fact]
    public void Merge_TheNewerReadWins()
    {
        var a = new SharedSessionTimeout(H2, true, 0, false, 0, TimeSpan.FromHours(2).Ticks, At(10).UtcTicks, At(5).UtcTicks);
        var b = new SharedSessionTimeout(H2, true, 0, false, 0, TimeSpan.FromMinutes(30).Ticks, At(400).UtcTicks, At(5).UtcTicks);

        Assert.Equal(TimeSpan.FromMinutes(30).Ticks, SharedSessionTimeout.Merge(a, b).ReadTicks);
        Assert.Equal(TimeSpan.FromMinutes(30).Ticks, SharedSessionTimeout.Merge(b, a).ReadTicks);
    }

    [Fact]
    public void Merge_IsCommutativeAndIdempotent_SoAFleetConverges()
    {
        var random = new Random(1536);
        for (var i = 0; i < 2000; i++)
        {
            var a = Random(random);
            var b = Random(random);
            var ab = SharedSessionTimeout.Merge(a, b);

            Assert.Equal(ab, SharedSessionTimeout.Merge(b, a));
            Assert.Equal(ab, SharedSessionTimeout.Merge(ab, b));
            Assert.Equal(ab, SharedSessionTimeout.Merge(ab, a));
            Assert.Equal(ab, SharedSessionTimeout.Merge(ab, ab));
        }
    }

    private static SharedSessionTimeout Random(Random random)
    {
        var shadow = random.Next(0, 256);
        return new SharedSessionTimeout(random.Next(1, 256), random.Next(2) == 0, shadow, shadow != 0 && random.Next(2) == 0, random.Next(0, 3),
            random.Next(2) == 0 ? 0 : SessionTimeoutEstimator.Candidates[random.Next(8)].Ticks, random.Next(0, 3), random.Next(0, 4));
    }

    [Fact]
    public void Format_RoundTrips_AndAnythingElseIsIgnored()
    {
        var state = new SharedSessionTimeout(H2 | H4, true, M30, true, 3, TimeSpan.FromHours(2).Ticks, At(1).UtcTicks, At(2).UtcTicks);

        Assert.Equal(state, SharedSessionTimeout.Parse(state.Format()));
        Assert.Null(SharedSessionTimeout.Parse(null));
        Assert.Null(SharedSessionTimeout.Parse("2;8;1;0;0;0;0;1"));
        Assert.Null(SharedSessionTimeout.Parse("1;0;1;0;0;0;0;1"));
        Assert.Null(SharedSessionTimeout.Parse("1;999;1;0;0;0;0;1"));
        Assert.Null(SharedSessionTimeout.Parse("1;8;1;0;0;0;0"));
        Assert.Null(SharedSessionTimeout.Parse("1;8;1;0;-1;0;0;1"));
        Assert.Null(SharedSessionTimeout.Parse("not evidence"));
    }

    [Fact]
    public void Estimator_ThatSawNothing_SharesNothing_AndAdoptsAnotherInstancesEstimate()
    {
        var fresh = new SessionTimeoutEstimator(new Events());
        Assert.Null(fresh.Share());
        Assert.False(fresh.Adopt(null));
        Assert.False(fresh.Adopt("garbage"));

        var learned = LearnedTwoHours(new Events());
        Assert.True(fresh.Adopt(learned.Share()));

        Assert.Equal(TimeSpan.FromHours(2), fresh.Learned);
        Assert.Equal((TimeSpan.FromHours(2), TimeSpan.FromHours(2)), fresh.Bounds);

        // Its next token is renewed by the adopted timeout, like one it had learned itself.
        var next = fresh.Track(At(300));
        Assert.Equal(At(300) + TimeSpan.FromHours(2), next.Tracker!.PredictedEnd);

        // Nothing new either way: adopting again changes nothing, and both now share the same state.
        Assert.False(fresh.Adopt(learned.Share()));
        Assert.False(learned.Adopt(fresh.Share()));
        Assert.Equal(learned.Share(), fresh.Share());
    }

    [Fact]
    public void Estimator_WithAnEstimate_IsNotResetByAnInstanceThatKnowsLess()
    {
        var learned = LearnedTwoHours(new Events());
        var other = new SessionTimeoutEstimator(new Events());
        var token = other.Track(At(0));
        token.RecordSuccess(At(40));

        // The other instance only saw a session outlive 30 min, later: that fits 2 h, so 2 h stays.
        Assert.False(learned.Adopt(other.Share()));
        Assert.Equal(TimeSpan.FromHours(2), learned.Learned);
        Assert.True(other.Adopt(learned.Share()));
        Assert.Equal(TimeSpan.FromHours(2), other.Learned);
    }

    [Fact]
    public void Estimator_AnAdminLoweringFollowedByOneInstance_ReachesAnotherThatStillHoldsTheOldTimeout()
    {
        var follower = LearnedTwoHours(new Events());
        var other = new SessionTimeoutEstimator(new Events());
        Assert.True(other.Adopt(follower.Share()));

        // The timeout is lowered to 30 min: two sessions on the follower end far sooner than 2 h allows.
        var second = follower.Track(At(270));
        second.RecordSuccess(At(280));
        second.RecordEnd(At(320), configured: null);
        var third = follower.Track(At(320));
        third.RecordSuccess(At(325));
        third.RecordEnd(At(360), configured: null);
        Assert.True(follower.Learned < TimeSpan.FromMinutes(31));

        // The other instance's sets have nothing in common with the follower's: the newer wins, 2 h is dropped.
        Assert.True(other.Adopt(follower.Share()));
        Assert.Equal(follower.Learned, other.Learned);
        Assert.Equal(follower.Bounds, other.Bounds);
        Assert.Equal(2, other.ForcedEnds);
        Assert.False(follower.Adopt(other.Share()));
    }

    [Fact]
    public void Estimator_AdoptsAReadTimeout_AsRead()
    {
        var reader = new SessionTimeoutEstimator(new Events());
        reader.RecordRead(TimeSpan.FromHours(2), At(0));
        var fresh = new SessionTimeoutEstimator(new Events());

        Assert.True(fresh.Adopt(reader.Share()));

        Assert.Equal(TimeSpan.FromHours(2), fresh.Read);
        Assert.Null(fresh.Learned);
        Assert.Equal(TimeSpan.FromHours(2).Ticks, fresh.PredictionTicks);
    }
}
