using SalesforceJwt.Tokens.Internal;
using static SalesforceJwt.Tests.Tokens.SessionTimelines;

namespace SalesforceJwt.Tests.Tokens;

/// <summary>The learning rules on their own, with hand-made timelines: what a success and an end rule out, and what they may not.</summary>
public sealed class SessionTimeoutEstimatorTests
{
    [Fact]
    public void Successes_RuleOutTimeoutsTheSessionOutlived_ButPredictNothingBeforeAnEnd()
    {
        var events = new Events();
        var estimator = new SessionTimeoutEstimator(events);
        var token = estimator.Track(At(0));

        token.RecordSuccess(At(40));
        token.RecordSuccess(At(100));

        // Idle 40 min outlives 15 and 30 min; 60 min after the extension at minute 40 outlives 1 h.
        Assert.Equal(TimeSpan.FromHours(2), estimator.Bounds.Lower);
        Assert.Null(estimator.Learned);
        Assert.Null(token.Tracker);
        Assert.Empty(events.Lines);
    }

    [Fact]
    public void TheFirstEnd_BoundsItFromAbove_AndTheLargestFittingCandidateIsUsed()
    {
        var events = new Events();

        // Used at 70 and 140 min, ended at 270: 2 h 10 min idle, so a 2 h session has ended and a 4 h one would be alive.
        var estimator = LearnedTwoHours(events);

        Assert.Equal(TimeSpan.FromHours(2), estimator.Learned);
        Assert.Equal((TimeSpan.FromHours(2), TimeSpan.FromHours(2)), estimator.Bounds);
        var next = estimator.Track(At(270));
        Assert.Equal(At(270) + TimeSpan.FromHours(2), next.Tracker!.PredictedEnd);
        Assert.Equal(["learned 02:00:00"], events.Lines);
    }

    [Fact]
    public void AnEndNoCandidateFits_IsAForcedEnd_AndLeavesTheEstimateAlone()
    {
        var events = new Events();
        var estimator = LearnedTwoHours(events);
        var token = estimator.Track(At(300));
        token.RecordSuccess(At(380));

        // Revoked 10 minutes after the last request: every fitting timeout says the session is alive.
        token.RecordEnd(At(390), configured: null);

        Assert.Equal(TimeSpan.FromHours(2), estimator.Learned);
        Assert.Equal(1, estimator.ForcedEnds);
        Assert.Equal("forced", events.Lines[^1]);
    }

    [Fact]
    public void TwoEarlyEndsAShorterTimeoutExplains_AreALoweredTimeout_FollowedFromTheSecond()
    {
        var events = new Events();
        var estimator = LearnedTwoHours(events);

        // The admin sets 30 min: a session ends 40 min after its last request, then the next one does too.
        var first = estimator.Track(At(300));
        first.RecordSuccess(At(310));
        first.RecordEnd(At(350), configured: null);
        Assert.Equal(TimeSpan.FromHours(2), estimator.Learned);

        var second = estimator.Track(At(350));
        second.RecordSuccess(At(360));
        second.RecordSuccess(At(375));
        second.RecordEnd(At(420), configured: null);

        Assert.Equal(TimeSpan.FromMinutes(30), estimator.Learned);
        Assert.Equal(["learned 02:00:00", "forced", "changed", "learned 00:30:00"], events.Lines);
    }

    [Fact]
    public void EarlyEndsAgainstAConfiguredTimeout_AreReportedOnTheSecond()
    {
        var events = new Events();
        var estimator = new SessionTimeoutEstimator(events);
        for (var i = 0; i < 2; i++)
        {
            var start = At(i * 300);
            var token = estimator.Track(start);
            var configured = new SessionTracker(start, TimeSpan.FromHours(8));
            token.RecordSuccess(start.AddMinutes(10));
            configured.RecordActivity(start.AddMinutes(10));
            token.RecordEnd(start.AddMinutes(190), configured);
        }

        Assert.Single(events.Lines, "configured contradicted");
    }

    [Fact]
    public void ASuccess_WritesSharedStateOnlyWhenAnExtensionCouldMove()
    {
        var estimator = new SessionTimeoutEstimator(new Events());
        var token = estimator.Track(At(0));

        // Within half the smallest candidate (7.5 min) nothing can move: the check is one read.
        for (var i = 1; i <= 7; i++)
        {
            token.RecordSuccess(At(i));
        }

        Assert.Equal(SessionTimeoutEstimator.AllCandidates, estimator.ConsistentSet);
    }
}
