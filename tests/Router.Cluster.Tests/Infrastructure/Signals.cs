using System.Runtime.InteropServices;

namespace Router.Cluster.Tests.Infrastructure;

/// <summary>POSIX signals to one process, by pid.</summary>
public static class Signals
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    public static void Send(int pid, int signal)
    {
        if (Kill(pid, signal) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != 3) throw new InvalidOperationException($"kill({pid}, {signal}) failed with errno {errno}");
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
