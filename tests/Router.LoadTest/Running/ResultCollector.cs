using System.Collections.Concurrent;
using Router.LoadTest.Clients;
using Router.LoadTest.Reporting;

namespace Router.LoadTest.Running;

/// <summary>
/// Gathers finished requests and the live counters behind the per-second series. Warm-up requests
/// count as active streams but contribute nothing else.
/// </summary>
internal sealed class ResultCollector : IStreamObserver
{
    private readonly Lock _gate = new();
    private readonly List<RequestRecord> _records = new(4096);
    private readonly ConcurrentQueue<double> _ttftWindow = new();
    private readonly ConcurrentQueue<double> _totalWindow = new();
    private long _active;
    private long _completed;
    private long _errors;
    private long _chunks;
    private long _lastCompleted;
    private long _lastErrors;
    private long _lastChunks;

    public long Active => Interlocked.Read(ref _active);

    public IReadOnlyList<RequestRecord> Snapshot()
    {
        lock (_gate)
        {
            return [.. _records];
        }
    }

    public void OnStarted() => Interlocked.Increment(ref _active);

    public void OnFinished(RequestRecord record)
    {
        Interlocked.Decrement(ref _active);
        if (record.Warmup || record.Outcome == OutcomeKind.Cancelled)
        {
            return;
        }

        lock (_gate)
        {
            _records.Add(record);
        }

        Interlocked.Increment(ref _completed);
        if (record.IsError)
        {
            Interlocked.Increment(ref _errors);
        }
        else
        {
            _totalWindow.Enqueue(record.TotalMs);
        }
    }

    public void OnFirstToken(RequestRecord record)
    {
        if (!record.Warmup)
        {
            _ttftWindow.Enqueue(record.TtftMs);
        }
    }

    public void OnChunk(RequestRecord record)
    {
        if (!record.Warmup)
        {
            Interlocked.Increment(ref _chunks);
        }
    }

    /// <summary>Closes the current interval: the ticker calls this once per second (and once at the end).</summary>
    public SeriesPoint Sample(double t, double interval)
    {
        var completed = Interlocked.Read(ref _completed);
        var errors = Interlocked.Read(ref _errors);
        var chunks = Interlocked.Read(ref _chunks);
        var ttft = Drain(_ttftWindow);
        var total = Drain(_totalWindow);
        var point = new SeriesPoint(
            T: Math.Round(t, 3),
            IntervalSeconds: Math.Round(interval, 3),
            Active: Active,
            Completed: completed,
            Errors: errors,
            RequestsPerSecond: Math.Round((completed - _lastCompleted) / interval, 2),
            ErrorsPerSecond: Math.Round((errors - _lastErrors) / interval, 2),
            ChunksPerSecond: Math.Round((chunks - _lastChunks) / interval, 1),
            TtftCount: ttft.Length,
            TtftP50: Percentiles.OrNull(ttft, 50),
            TtftP99: Percentiles.OrNull(ttft, 99),
            TtftMax: Percentiles.OrNull(ttft, 100),
            TotalP50: Percentiles.OrNull(total, 50),
            TotalP99: Percentiles.OrNull(total, 99));
        _lastCompleted = completed;
        _lastErrors = errors;
        _lastChunks = chunks;
        return point;
    }

    private static double[] Drain(ConcurrentQueue<double> queue)
    {
        var list = new List<double>(queue.Count);
        while (queue.TryDequeue(out var v))
        {
            list.Add(v);
        }

        var array = list.ToArray();
        Array.Sort(array);
        return array;
    }
}
