using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Router.Cluster.Tests.Infrastructure;

/// <summary>
/// A private, throwaway PostgreSQL on 127.0.0.1 started by <c>scripts/postgres-start.sh</c> (a new
/// cluster in a temp dir, a <c>router</c> database and user). Stopped by its pid (fast shutdown).
/// </summary>
public sealed partial class PostgresServer : IAsyncDisposable
{
    private const int SigInt = 2;

    private PostgresServer(int port, int pid, string directory, string connectionString)
    {
        Port = port;
        Pid = pid;
        Directory = directory;
        ConnectionString = connectionString;
    }

    public int Port { get; }

    public int Pid { get; }

    public string Directory { get; }

    /// <summary>An Npgsql connection string for the <c>router</c> user and database.</summary>
    public string ConnectionString { get; }

    public static async Task<PostgresServer> StartAsync()
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(RepoPaths.Script("postgres-start.sh"));
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(cts.Token);
        var output = await stdout;
        var match = ScriptLine().Match(output);
        if (process.ExitCode != 0 || !match.Success)
        {
            throw new InvalidOperationException($"scripts/postgres-start.sh failed ({process.ExitCode}): {output}\n{await stderr}");
        }

        return new PostgresServer(int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value), match.Groups[3].Value, match.Groups[4].Value);
    }

    [GeneratedRegex("POSTGRES_PORT=(\\d+) POSTGRES_PID=(\\d+) POSTGRES_DIR=(\\S+) POSTGRES_CONNECTION=\"([^\"]+)\"")]
    private static partial Regex ScriptLine();

    public async ValueTask DisposeAsync()
    {
        try
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            Signals.Send(Pid, SigInt);
            for (var i = 0; i < 200 && IsRunning(Pid); i++)
            {
                await Task.Delay(50);
            }

            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (Exception)
        {
            // Best effort: a leftover temp dir is harmless.
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
