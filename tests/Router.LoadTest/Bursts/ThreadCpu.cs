using System.Globalization;

namespace Router.LoadTest.Bursts;

/// <summary>
/// A process's CPU to the nanosecond, from each thread's <c>/proc/&lt;pid&gt;/task/&lt;tid&gt;/schedstat</c>:
/// <c>/proc/&lt;pid&gt;/stat</c> counts clock ticks (10 ms at 100 ticks/s), too coarse for one round
/// of a burst, which costs a server some tens of milliseconds.
/// </summary>
internal sealed class ThreadCpu
{
    private readonly Dictionary<int, long> _threads;

    private ThreadCpu(Dictionary<int, long> threads) => _threads = threads;

    /// <summary>Every thread's CPU so far, or null when the process is gone or the kernel shows no schedstat.</summary>
    public static ThreadCpu? Read(int? pid)
    {
        if (pid is not { } p)
        {
            return null;
        }

        var threads = new Dictionary<int, long>();
        try
        {
            foreach (var dir in Directory.EnumerateDirectories($"/proc/{p}/task"))
            {
                if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var tid))
                {
                    continue;
                }

                try
                {
                    var text = File.ReadAllText(Path.Combine(dir, "schedstat"));
                    var end = text.IndexOf(' ');
                    threads[tid] = long.Parse(end < 0 ? text.Trim() : text[..end], CultureInfo.InvariantCulture);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // The thread ended between the listing and the read: it ran nothing after the previous read that can still be counted.
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }

        return threads.Count > 0 ? new ThreadCpu(threads) : null;
    }

    /// <summary>
    /// Seconds of CPU from <paramref name="earlier"/> to this read: each thread's growth, a thread born
    /// since counted from zero. A thread that ended in between takes its last slice with it (the
    /// kernel keeps no schedstat of a dead thread); the thread pool rarely ends threads under steady bursts.
    /// </summary>
    public double Since(ThreadCpu earlier)
    {
        long ns = 0;
        foreach (var (tid, now) in _threads)
        {
            ns += now - earlier._threads.GetValueOrDefault(tid);
        }

        return ns / 1e9;
    }
}
