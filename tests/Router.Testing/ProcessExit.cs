using System.Diagnostics;

namespace Router.Testing;

/// <summary>Waits for a process this one did not start (a server a script daemonised) to end.</summary>
public static class ProcessExit
{
    /// <summary>Returns once process <paramref name="pid"/> is gone; throws <see cref="TimeoutException"/> naming <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task WaitAsync(int pid, TimeSpan timeout, string what)
    {
        Process process;
        try
        {
            process = Process.GetProcessById(pid);
        }
        catch (ArgumentException)
        {
            return; // already gone
        }

        using (process)
        using (var cts = new CancellationTokenSource(timeout))
        {
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException) when (cts.IsCancellationRequested)
            {
                throw new TimeoutException($"{what} (pid {pid}) did not end within {timeout.TotalSeconds:0} s");
            }
        }
    }
}
