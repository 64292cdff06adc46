using System.Globalization;

namespace Router.LoadTest.Bursts;

/// <summary>CPU time a process has used so far: utime + stime of <c>/proc/&lt;pid&gt;/stat</c>, all its threads.</summary>
internal static class ProcessCpu
{
    /// <summary>Seconds of CPU, or null when the process is gone or this is not Linux.</summary>
    public static double? Read(int? pid, int clockTicks)
    {
        if (pid is not { } p)
        {
            return null;
        }

        try
        {
            var stat = File.ReadAllText($"/proc/{p}/stat");
            // The command name (field 2) is in parentheses and may hold spaces: count fields after its ')'.
            var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // rest[0] is field 3 (state), so utime (14) and stime (15) are rest[11] and rest[12].
            var ticks = long.Parse(rest[11], CultureInfo.InvariantCulture) + long.Parse(rest[12], CultureInfo.InvariantCulture);
            return ticks / (double)clockTicks;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}

/// <summary>CPU used by one process over a phase of the run, with the phase's wall time.</summary>
internal readonly record struct CpuSpan(double? CpuSeconds, double WallSeconds)
{
    /// <summary>Share of one core over the phase, in percent.</summary>
    public double? PercentOfCore => CpuSeconds is { } c && WallSeconds > 0 ? c / WallSeconds * 100 : null;

    /// <summary>
    /// CPU milliseconds per request: the phase's CPU less what the process burns idle over the same
    /// time (timers, GC), so only the work the requests caused is divided among them.
    /// </summary>
    public double? MsPerRequest(double? idleCoreShare, int requests) =>
        CpuSeconds is { } c && requests > 0 ? (c - (idleCoreShare ?? 0) * WallSeconds) * 1000 / requests : null;
}
