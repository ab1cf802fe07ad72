using Microsoft.Extensions.Time.Testing;
using SalesforceJwt.Internal;

namespace SalesforceJwt.Tests.Internal;

public sealed class CoarseClockTests
{
    private static readonly DateTimeOffset s_start = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void UtcNow_BetweenAnchors_FollowsTheTickCount_SetBackByTheMostATickTrails()
    {
        var precise = new FakeTimeProvider(s_start);
        var ticks = 5_000;
        var clock = new CoarseClock(precise, () => ticks);

        Assert.Equal(s_start - CoarseClock.MaxTickLag, clock.UtcNow);

        // Within the anchor interval the precise clock is not read: the tick count alone moves the time.
        precise.Advance(TimeSpan.FromMinutes(5));
        ticks += 400;
        Assert.Equal(s_start - CoarseClock.MaxTickLag + TimeSpan.FromMilliseconds(400), clock.UtcNow);
    }

    [Fact]
    public void UtcNow_WhenTheWallClockSteps_FollowsItWithinTheAnchorInterval()
    {
        var precise = new FakeTimeProvider(s_start);
        var ticks = 0;
        var clock = new CoarseClock(precise, () => ticks);

        precise.Advance(TimeSpan.FromHours(1));
        ticks += CoarseClock.AnchorInterval;

        Assert.Equal(precise.GetUtcNow() - CoarseClock.MaxTickLag, clock.UtcNow);
    }

    [Fact]
    public void UtcNow_AcrossTheTickCountWrap_KeepsCounting()
    {
        // Environment.TickCount wraps from int.MaxValue to int.MinValue after 24.9 days.
        var precise = new FakeTimeProvider(s_start);
        var ticks = int.MaxValue - 100;
        var clock = new CoarseClock(precise, () => ticks);

        ticks = unchecked(ticks + 300);

        Assert.True(ticks < 0);
        Assert.Equal(s_start - CoarseClock.MaxTickLag + TimeSpan.FromMilliseconds(300), clock.UtcNow);
    }

    [Fact]
    public void Property_WhateverTheTickCountTrails_TheTimeIsNeverLaterThanThePreciseClock_AndCloseToIt()
    {
        // A tick count trails the moment it is read by up to one timer interrupt; it never runs ahead and never goes back.
        var random = new Random(20261207);
        for (var run = 0; run < 200; run++)
        {
            var precise = new FakeTimeProvider(s_start);
            var elapsed = 0L;
            var ticks = 0;
            var maxTrail = (int)CoarseClock.MaxTickLag.TotalMilliseconds - 1;
            var clock = new CoarseClock(precise, () => ticks);
            for (var step = 0; step < 200; step++)
            {
                var advance = random.Next(0, 700);
                precise.Advance(TimeSpan.FromMilliseconds(advance));
                elapsed += advance;
                ticks = Math.Max(ticks, (int)(elapsed - random.Next(0, maxTrail + 1)));

                var now = clock.UtcNow;
                var preciseNow = precise.GetUtcNow();
                Assert.True(now <= preciseNow, $"run {run}, step {step}: {now:O} is later than {preciseNow:O}");
                Assert.True(preciseNow - now <= 2 * CoarseClock.MaxTickLag, $"run {run}, step {step}: {now:O} is {preciseNow - now} early");
            }
        }
    }

    [Fact]
    public void System_ReadsTheSystemClock_NeverAheadOfIt()
    {
        var coarse = CoarseClock.System.UtcNow;
        var precise = TimeProvider.System.GetUtcNow();

        // Only the direction is asserted: how far behind depends on how long this thread waited between the two reads.
        Assert.True(coarse <= precise);
    }
}
