using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SalesforceJwt.StackExchangeRedis.Tests;

/// <summary>
/// A real Redis for the tests: the one .ci/redis started (its address in <c>SALESFORCEJWT_REDIS</c>), or a
/// <c>redis-server</c> process of the test's own on a port the OS chose, stopped by its process id. Without
/// redis-server the tests skip with the reason, except under CI (<c>CI=true</c>), where they fail.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    public const string AddressVariable = "SALESFORCEJWT_REDIS";
    public const string ServerVariable = "SALESFORCEJWT_REDIS_SERVER";

    private readonly string? _executable;
    private Process? _process;

    private RedisServer(string address, string? executable, int port)
    {
        Address = address;
        _executable = executable;
        Port = port;
    }

    /// <summary>Gets the address, <c>127.0.0.1:port</c>.</summary>
    public string Address { get; }

    public int Port { get; }

    /// <summary>A Redis the test may share with others (keys apart by prefix): the CI one if there is one, else its own.</summary>
    public static async Task<RedisServer> SharedAsync()
    {
        var address = Environment.GetEnvironmentVariable(AddressVariable);
        return string.IsNullOrWhiteSpace(address) ? await OwnAsync() : new RedisServer(address, null, 0);
    }

    /// <summary>A redis-server of the test's own, which it may stop and start again.</summary>
    public static async Task<RedisServer> OwnAsync()
    {
        var executable = FindExecutable();
        if (executable is null)
        {
            Unavailable($"redis-server was not found on PATH (nor in {ServerVariable}). Install it (apt-get install redis-server) to run the Redis tests.");
        }

        var port = FreePort();
        var server = new RedisServer($"127.0.0.1:{port}", executable, port);
        await server.StartAsync();
        return server;
    }

    /// <summary>Stops the process by its id; its data goes with it (no persistence).</summary>
    public async Task StopAsync()
    {
        var process = _process ?? throw new InvalidOperationException("This Redis is not the test's own.");
        _process = null;
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        process.Dispose();
    }

    /// <summary>Starts it again on the same port, empty.</summary>
    public Task RestartAsync() => StartAsync();

    private async Task StartAsync()
    {
        var info = new ProcessStartInfo(_executable!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no" })
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("Process.Start returned null.");
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            Unavailable($"redis-server ({_executable}) could not be started: {ex.Message}");
            throw;
        }

        // Ready when it says so; bounded, so a server that never comes up fails the test instead of hanging it.
        using var ready = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        ready.CancelAfter(TimeSpan.FromSeconds(30));
        var log = new List<string>();
        try
        {
            while (await process.StandardOutput.ReadLineAsync(ready.Token) is { } line)
            {
                log.Add(line);
                if (line.Contains("Ready to accept connections", StringComparison.Ordinal))
                {
                    _process = process;
                    _ = DrainAsync(process);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        process.Kill(entireProcessTree: true);
        Unavailable($"redis-server did not start on port {Port}: {string.Join(" | ", log.TakeLast(5))} {await process.StandardError.ReadToEndAsync()}");
    }

    private static async Task DrainAsync(Process process)
    {
        try
        {
            await process.StandardOutput.ReadToEndAsync();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    private static string? FindExecutable()
    {
        var configured = Environment.GetEnvironmentVariable(ServerVariable);
        if (!string.IsNullOrWhiteSpace(configured) && File.Exists(configured))
        {
            return configured;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin").Append("/usr/sbin").Append("/usr/local/bin")
            .Select(dir => Path.Combine(dir, "redis-server"))
            .FirstOrDefault(File.Exists);
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>Skips the test, or fails it under CI, which must run the Redis tests.</summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void Unavailable(string reason)
    {
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"CI must run the Redis tests, but {reason}");
        }

        Assert.Skip($"Skipped: {reason}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await StopAsync();
        }
    }
}
