namespace Router.Grains.Generation.Pipeline;

/// <summary>
/// Cancels a source once a deadline passes, where the deadline moves with every update of an answer.
/// Moving it only writes a timestamp: the one timer is not touched per token. When the timer fires
/// early (the deadline moved since it was set), it sets itself again for what is left.
/// </summary>
internal sealed class SilenceTimer : IDisposable
{
    private const long Disarmed = long.MaxValue;

    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _target;
    private readonly ITimer _timer;
    private long _deadline = Disarmed;
    private int _timerSet;
    private volatile bool _fired;

    public SilenceTimer(TimeProvider time, CancellationTokenSource target, TimeSpan? armFor)
    {
        _time = time;
        _target = target;
        _timer = time.CreateTimer(static state => ((SilenceTimer)state!).Fire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (armFor is { } limit) Arm(limit);
    }

    /// <summary>The source is cancelled unless the next <see cref="Arm"/> or <see cref="Disarm"/> comes within <paramref name="limit"/>.</summary>
    public void Arm(TimeSpan limit)
    {
        // Full fences on both sides (here and in Fire): either this sees the timer unset and sets it,
        // or the firing timer sees the new deadline and sets itself again.
        Interlocked.Exchange(ref _deadline, _time.GetTimestamp() + ToTimestamp(limit));
        if (Volatile.Read(ref _timerSet) == 1) return;
        Volatile.Write(ref _timerSet, 1);
        _timer.Change(limit, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Whether this timer cancelled the source (another may share it).</summary>
    public bool Fired => _fired;

    /// <summary>Nothing is cancelled any more (until armed again); the timer, if set, fires once for nothing.</summary>
    public void Disarm() => Volatile.Write(ref _deadline, Disarmed);

    private void Fire()
    {
        var deadline = Volatile.Read(ref _deadline);
        if (deadline == Disarmed)
        {
            // Unset, so the next Arm sets it anew; unless an Arm came meanwhile.
            Interlocked.Exchange(ref _timerSet, 0);
            deadline = Volatile.Read(ref _deadline);
            if (deadline == Disarmed) return;
        }

        var left = deadline - _time.GetTimestamp();
        if (left <= 0)
        {
            _fired = true;
            try
            {
                _target.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }

            return;
        }

        Volatile.Write(ref _timerSet, 1);
        try
        {
            _timer.Change(TimeSpan.FromSeconds(left / (double)_time.TimestampFrequency), Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // The call ended while the timer fired.
        }
    }

    private long ToTimestamp(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    public void Dispose() => _timer.Dispose();
}
