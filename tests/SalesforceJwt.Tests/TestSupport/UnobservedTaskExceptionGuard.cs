using System.Collections.Concurrent;
using SalesforceJwt.Tests.TestSupport;

[assembly: AssemblyFixture(typeof(UnobservedTaskExceptionGuard))]

namespace SalesforceJwt.Tests.TestSupport;

/// <summary>
/// Fails the test run when any test leaves a faulted task nobody observed: such an exception is lost to the user (and
/// crashes processes configured to treat it as fatal). Checked after the last test, once finalizers have run.
/// </summary>
public sealed class UnobservedTaskExceptionGuard : IDisposable
{
    private static readonly ConcurrentQueue<Exception> s_seen = new();

    static UnobservedTaskExceptionGuard() => TaskScheduler.UnobservedTaskException += (_, e) =>
    {
        // Ours only: third-party background work (Polly's circuit-breaker executor racing a disposed container, say)
        // is not something this library can observe.
        if (e.Exception.InnerExceptions.Any(x => x is SalesforceJwtException || (x.StackTrace ?? string.Empty).Contains("at SalesforceJwt.", StringComparison.Ordinal)))
        {
            s_seen.Enqueue(e.Exception);
        }
    };

    /// <summary>Gets the unobserved exceptions seen so far, after collecting garbage so that pending ones surface.</summary>
    public static IReadOnlyList<Exception> Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return s_seen.ToArray();
    }

    public void Dispose()
    {
        var seen = Collect();
        if (seen.Count > 0)
        {
            throw new InvalidOperationException($"{seen.Count} task exception(s) were never observed; the first: {seen[0]}");
        }
    }
}
