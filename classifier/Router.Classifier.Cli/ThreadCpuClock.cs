using System.Runtime.InteropServices;

namespace Router.Classifier.Cli;

/// <summary>
/// CPU time of the calling thread (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>), in microseconds. On a shared machine the
/// wall-clock tail of a call is mostly time spent descheduled; the thread's own CPU time is what the call costs,
/// and its percentiles do not move with the load of other processes. NaN where the clock is not available.
/// </summary>
internal static class ThreadCpuClock
{
    private const int ThreadCpuTimeId = 3;

    public static bool IsAvailable { get; } = OperatingSystem.IsLinux() && !double.IsNaN(Read());

    public static double Now() => IsAvailable ? Read() : double.NaN;

    /// <summary>The 1-, 5- and 15-minute load averages, as <c>/proc/loadavg</c> gives them, or "unknown".</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static double Read()
    {
        try
        {
            return ClockGetTime(ThreadCpuTimeId, out var time) == 0 ? (time.Seconds * 1e6) + (time.Nanoseconds / 1e3) : double.NaN;
        }
        catch (DllNotFoundException)
        {
            return double.NaN;
        }
        catch (EntryPointNotFoundException)
        {
            return double.NaN;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);
}
