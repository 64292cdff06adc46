using System.Collections.Concurrent;
using System.Diagnostics;

namespace Router.Cluster.Tests.Infrastructure;

/// <summary>
/// One router host (silo or web front) run as its own process: <c>dotnet Router.X.dll --key=value …</c>.
/// Its output goes to a log file and is watched for lines the tests wait on.
/// </summary>
public sealed class RouterProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly ConcurrentQueue<(Func<string, bool> Matches, TaskCompletionSource<string> Seen)> _waiters = new();
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly object _logLock = new();

    private RouterProcess(string name, Process process, string logPath, IReadOnlyDictionary<string, string> settings)
    {
        Name = name;
        Settings = settings;
        _process = process;
        LogPath = logPath;
        _log = new StreamWriter(logPath) { AutoFlush = true };
    }

    public string Name { get; }

    /// <summary>The settings it was started with.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; }

    public string LogPath { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public static RouterProcess Start(string name, string dll, IReadOnlyDictionary<string, string> settings, string logDirectory)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var (key, value) in settings)
        {
            info.ArgumentList.Add($"--{key}={value}");
        }

        info.Environment["DOTNET_gcServer"] = "0"; // many hosts share two cores in these tests
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var router = new RouterProcess(name, process, Path.Combine(logDirectory, name + ".log"), settings);
        process.OutputDataReceived += (_, e) => router.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => router.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return router;
    }

    /// <summary>Waits until a line containing <paramref name="pattern"/> was printed (also if it already was).</summary>
    public Task WaitForLineAsync(string pattern, TimeSpan timeout) =>
        WaitForLineAsync(l => l.Contains(pattern, StringComparison.Ordinal), $"'{pattern}'", timeout);

    /// <summary>Waits until a line that <paramref name="matches"/> was printed (also if it already was) and returns it.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> matches, string what, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiters.Enqueue((matches, seen));
        if (_lines.FirstOrDefault(matches) is { } earlier) seen.TrySetResult(earlier);
        var exited = _process.WaitForExitAsync();
        var done = await Task.WhenAny(seen.Task, exited, Task.Delay(timeout));
        if (done == seen.Task) return await seen.Task;
        var why = done == exited ? $"exited with code {_process.ExitCode}" : $"did not print it within {timeout.TotalSeconds:0} s";
        throw new TimeoutException($"{Name} waiting for {what}: {why}. Log: {LogPath}\n{Tail(30)}");
    }

    /// <summary>Sends a signal (SIGTERM, SIGKILL) to this process only.</summary>
    public void Signal(int signal) => Signals.Send(_process.Id, signal);

    /// <summary>Waits for the process to end; false if it is still running after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public int ExitCode => _process.ExitCode;

    public string Tail(int lines) => string.Join('\n', _lines.TakeLast(lines));

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_logLock)
        {
            _log.WriteLine(line);
        }

        _lines.Enqueue(line);
        while (_lines.Count > 2000) _lines.TryDequeue(out _);
        foreach (var (matches, seen) in _waiters)
        {
            if (!seen.Task.IsCompleted && matches(line)) seen.TrySetResult(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                _process.Kill();
            }
            catch (InvalidOperationException)
            {
            }

            await WaitForExitAsync(TimeSpan.FromSeconds(10));
        }

        lock (_logLock)
        {
            _log.Dispose();
        }

        _process.Dispose();
    }
}
