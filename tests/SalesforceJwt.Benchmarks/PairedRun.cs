using System.Diagnostics;

namespace SalesforceJwt.Benchmarks;

/// <summary>
/// A cross-check of targets 1 and 2 for machines whose speed drifts by tens of percent over tens of seconds (a shared
/// VM), where BenchmarkDotNet's one-benchmark-after-another runs compare different moments: the clients of
/// <see cref="BenchmarkClients"/> are timed back to back in each round, in one process, and the ratio of each round is
/// kept, so a drift shared by a round cancels out. The figure is the median ratio over the rounds.
/// <c>dotnet run -c Release --project tests/SalesforceJwt.Benchmarks -- --paired [rounds]</c>
/// </summary>
/// <remarks>
/// A fourth client is the same <c>AddSalesforceJwt()</c> client with <see cref="SalesforceJwtOptions.SessionTimeout"/>
/// set: a known timeout adds the session prediction and its activity record to every request, the path an app that
/// configures, reads or has learned its timeout takes.
/// </remarks>
internal static class PairedRun
{
    public const int DefaultRounds = 40;
    private const int Sequential = 10_000;
    private const int Callers = 64;
    private const int PerCaller = 100;

    public static async Task RunAsync(int rounds)
    {
        using var clients = await BenchmarkClients.CreateAsync();
        using var timed = await BenchmarkClients.CreateAsync(configure: o => o.SessionTimeout = TimeSpan.FromHours(2));
        HttpClient[] measured = [clients.Plain, clients.PlainWithAsyncHandler, clients.Salesforce, timed.Salesforce];
        string[] names = ["PlainHttpClient (baseline)", "PlainHttpClient_PlusAwaitingHandler (control)", "SalesforceClient_CachedToken", "SalesforceClient_SessionTimeoutKnown"];

        Report("Target 1, sequential: time per request", names, rounds, await MeasureAsync(measured, rounds, SequentialAsync));
        Console.WriteLine();
        Console.WriteLine($"Target 1, allocation: bytes per request over {Sequential} sequential requests, all threads (beyond the baseline)");
        var baselineBytes = await AllocatedPerRequestAsync(measured[0]);
        for (var i = 0; i < measured.Length; i++)
        {
            var bytes = i == 0 ? baselineBytes : await AllocatedPerRequestAsync(measured[i]);
            Console.WriteLine($"  {names[i],-48} {bytes,8:F1} B    ({bytes - baselineBytes:+0.0;-0.0;0.0} B)");
        }

        Report("Target 2, 64 callers: time per request (throughput ratio = 1 / time ratio)", names, rounds, await MeasureAsync(measured, rounds, ConcurrentAsync));
    }

    private static async Task<double[][]> MeasureAsync(HttpClient[] clients, int rounds, Func<HttpClient, Task<double>> measure)
    {
        foreach (var client in clients)
        {
            await measure(client); // warm-up: tiered compilation settles before the first round counts
        }

        var times = clients.Select(_ => new double[rounds]).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            // The order turns each round, so that no client always runs right after the same one.
            for (var k = 0; k < clients.Length; k++)
            {
                var i = (round + k) % clients.Length;
                times[i][round] = await measure(clients[i]);
            }
        }

        return times;
    }

    private static async Task<double> SequentialAsync(HttpClient client)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < Sequential; i++)
        {
            using var response = await client.GetAsync(BenchmarkClients.Path).ConfigureAwait(false);
        }

        return watch.Elapsed.TotalNanoseconds / Sequential;
    }

    /// <summary>Bytes allocated per request, by every thread: the requests complete in memory, so nothing else runs meanwhile.</summary>
    private static async Task<double> AllocatedPerRequestAsync(HttpClient client)
    {
        await SequentialAsync(client);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < Sequential; i++)
        {
            using var response = await client.GetAsync(BenchmarkClients.Path).ConfigureAwait(false);
        }

        return (double)(GC.GetTotalAllocatedBytes(precise: true) - before) / Sequential;
    }

    private static async Task<double> ConcurrentAsync(HttpClient client)
    {
        var watch = Stopwatch.StartNew();
        var callers = new Task[Callers];
        for (var c = 0; c < callers.Length; c++)
        {
            callers[c] = Task.Run(async () =>
            {
                for (var i = 0; i < PerCaller; i++)
                {
                    using var response = await client.GetAsync(BenchmarkClients.Path).ConfigureAwait(false);
                }
            });
        }

        await Task.WhenAll(callers).ConfigureAwait(false);
        return watch.Elapsed.TotalNanoseconds / (Callers * PerCaller);
    }

    private static void Report(string title, string[] names, int rounds, double[][] times)
    {
        Console.WriteLine();
        Console.WriteLine($"{title}; {rounds} rounds, median per-round ratio to the baseline (and its interquartile range)");
        for (var i = 0; i < names.Length; i++)
        {
            var ratios = times[i].Select((t, round) => t / times[0][round]).Order().ToArray();
            Console.WriteLine(
                $"  {names[i],-48} {Median(times[i]),8:F1} ns   ratio {Quantile(ratios, 0.5):F3} ({Quantile(ratios, 0.25):F3}–{Quantile(ratios, 0.75):F3})");
        }
    }

    private static double Median(double[] values) => Quantile(values.Order().ToArray(), 0.5);

    private static double Quantile(double[] sorted, double q)
    {
        var position = (sorted.Length - 1) * q;
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + ((sorted[high] - sorted[low]) * (position - low));
    }
}
