using System.Diagnostics;
using System.Text.RegularExpressions;
using Router.Testing;

namespace Router.Cluster.Tests.Infrastructure;

/// <summary>
/// A private Redis on 127.0.0.1 started by <c>scripts/redis-start.sh</c> (append-only file with
/// fsync on every write, data in a temp dir). It can be killed and restarted on the same port with
/// its data, and is stopped by its pid.
/// </summary>
public sealed partial class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private RedisServer(int port, int pid, string directory)
    {
        Port = port;
        Pid = pid;
        Directory = directory;
    }

    public int Port { get; }

    public int Pid { get; private set; }

    public string Directory { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var (port, pid, dir) = await RunScriptAsync(port: null, directory: null);
        return new RedisServer(port, pid, dir);
    }

    /// <summary>Kills Redis at once (SIGKILL); what it acknowledged is in its append-only file.</summary>
    public async Task KillAsync()
    {
        Signals.Send(Pid, Signals.SigKill);
        await ProcessExit.WaitAsync(Pid, StopTimeout, "Redis");
    }

    /// <summary>Starts Redis again on the same port with the same data.</summary>
    public async Task RestartAsync()
    {
        var (_, pid, _) = await RunScriptAsync(Port, Directory);
        Pid = pid;
    }

    private static async Task<(int Port, int Pid, string Dir)> RunScriptAsync(int? port, string? directory)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(RepoPaths.Script("redis-start.sh"));
        if (port is not null) info.ArgumentList.Add(port.Value.ToString());
        if (directory is not null) info.Environment["REDIS_DIR"] = directory;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(cts.Token);
        var output = await stdout;
        var match = ScriptLine().Match(output);
        if (process.ExitCode != 0 || !match.Success)
        {
            throw new InvalidOperationException($"scripts/redis-start.sh failed ({process.ExitCode}): {output}\n{await stderr}");
        }

        return (int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value), match.Groups[3].Value);
    }

    [GeneratedRegex(@"REDIS_PORT=(\d+) REDIS_PID=(\d+) REDIS_DIR=(\S+)")]
    private static partial Regex ScriptLine();

    public async ValueTask DisposeAsync()
    {
        try
        {
            Signals.Send(Pid, Signals.SigTerm);
            await ProcessExit.WaitAsync(Pid, StopTimeout, "Redis");
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (Exception)
        {
            // Best effort: a leftover temp dir is harmless.
        }
    }
}
