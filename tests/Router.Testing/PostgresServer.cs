using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Router.Testing;

/// <summary>
/// A private, throwaway PostgreSQL on 127.0.0.1 from the project's <c>scripts/postgres-start.sh</c> (a new
/// cluster in a temp dir, a <c>router</c> database and user), which a test can stop (by its pid, fast
/// shutdown: open sessions end) and start again on the same port and data directory.
/// </summary>
public sealed partial class PostgresServer : IAsyncDisposable
{
    private const int SigInt = 2;
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

    private PostgresServer(int port, int pid, string directory, string connectionString)
    {
        Port = port;
        Pid = pid;
        Directory = directory;
        ConnectionString = connectionString;
    }

    public int Port { get; }

    public int Pid { get; private set; }

    public string Directory { get; }

    /// <summary>An Npgsql connection string for the <c>router</c> user and database.</summary>
    public string ConnectionString { get; }

    public static async Task<PostgresServer> StartAsync()
    {
        var (port, pid, dir, connection) = await RunScriptAsync(null, null);
        return new PostgresServer(port, pid, dir, connection);
    }

    /// <summary>Stops the server (fast shutdown) and waits until its process is gone.</summary>
    public async Task StopAsync()
    {
        if (Kill(Pid, SigInt) != 0) return;

        await ProcessExit.WaitAsync(Pid, StopTimeout, "PostgreSQL");
    }

    /// <summary>Starts it again on the same port with the same data.</summary>
    public async Task RestartAsync() => (_, Pid, _, _) = await RunScriptAsync(Port, Directory);

    private static async Task<(int Port, int Pid, string Dir, string Connection)> RunScriptAsync(int? port, string? directory)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(RepoRoot(), "scripts", "postgres-start.sh"));
        if (port is not null) info.ArgumentList.Add(port.Value.ToString(CultureInfo.InvariantCulture));
        if (directory is not null) info.Environment["POSTGRES_DIR"] = directory;
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

        return (int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture),
            match.Groups[3].Value, match.Groups[4].Value);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Router.sln"))) return dir.FullName;
        }

        throw new DirectoryNotFoundException("Router.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("POSTGRES_PORT=(\\d+) POSTGRES_PID=(\\d+) POSTGRES_DIR=(\\S+) POSTGRES_CONNECTION=\"([^\"]+)\"")]
    private static partial Regex ScriptLine();

    public async ValueTask DisposeAsync()
    {
        try
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await StopAsync();
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (Exception)
        {
            // Best effort: a leftover temp dir is harmless.
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
