namespace SalesforceJwt.Internal;

/// <summary>A cancellation source that fires after a delay measured by a <see cref="TimeProvider"/>, so tests drive it with fake time.</summary>
internal static class TimeProviderTimeout
{
    public static CancellationTokenSource Create(TimeProvider timeProvider, TimeSpan delay) =>
#if NET8_0_OR_GREATER
        new(delay, timeProvider);
#else
        timeProvider.CreateCancellationTokenSource(delay);
#endif
}
