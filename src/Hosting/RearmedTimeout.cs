namespace Router.Hosting;

/// <summary>
/// The token of a wait that ends after a timeout or when either of two tokens fires, for a loop that
/// waits again and again (a reader waiting for its next item). One linked source serves every wait
/// and is replaced only once it fired or the tokens changed. Re-arming only moves a deadline: the one
/// timer is set when it is idle and, when it fires before the deadline (the deadline moved since), it
/// sets itself for what is left — so a wait that ends with data touches no timer (re-setting one takes
/// the timer queue's lock, which every request's items contended for). Not thread-safe: one loop owns it.
/// </summary>
public sealed class RearmedTimeout : IDisposable
{
    private const long Disarmed = long.MaxValue;

    private readonly TimeProvider _time;
    private readonly Lock _firing = new();
    private CancellationTokenSource? _source;
    private CancellationToken _first;
    private CancellationToken _second;
    private ITimer? _timer;
    private long _deadline = Disarmed;
    private long _due = Disarmed;
    private int _timerSet;

    public RearmedTimeout()
        : this(TimeProvider.System)
    {
    }

    public RearmedTimeout(TimeProvider time) => _time = time;

    /// <summary>A token that fires <paramref name="after"/> from now, or with <paramref name="first"/> or <paramref name="second"/>.</summary>
    public CancellationToken Arm(TimeSpan after, CancellationToken first, CancellationToken second)
    {
        var deadline = after == Timeout.InfiniteTimeSpan ? Disarmed : _time.GetTimestamp() + ToTimestamp(after);
        var source = _source;
        if (source is null || source.IsCancellationRequested || first != _first || second != _second)
        {
            source = CancellationTokenSource.CreateLinkedTokenSource(first, second);
            lock (_firing)
            {
                // The deadline before the source, under the lock: a firing timer never weighs the old
                // deadline against the new source.
                Volatile.Write(ref _deadline, deadline);
                _source?.Dispose();
                _source = source;
            }

            _first = first;
            _second = second;
        }

        // Full fences on both sides (here and in Fire): either this sees the timer idle and sets it, or
        // the firing timer sees the new deadline and sets itself again.
        Interlocked.Exchange(ref _deadline, deadline);
        if (deadline == Disarmed) return source.Token;
        _timer ??= _time.CreateTimer(static state => ((RearmedTimeout)state!).Fire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (Interlocked.CompareExchange(ref _timerSet, 1, 0) == 0)
        {
            Volatile.Write(ref _due, deadline);
            _timer.Change(after, Timeout.InfiniteTimeSpan);
        }
        else if (deadline < Volatile.Read(ref _due))
        {
            // A shorter timeout than the one the timer is set for (rare): set it sooner.
            lock (_firing)
            {
                if (Volatile.Read(ref _timerSet) == 1 && deadline < _due)
                {
                    _due = deadline;
                    _timer.Change(after, Timeout.InfiniteTimeSpan);
                }
            }
        }

        return source.Token;
    }

    private void Fire()
    {
        CancellationTokenSource? expired;
        lock (_firing)
        {
            if (SetForWhatIsLeft()) return;
            Interlocked.Exchange(ref _timerSet, 0);

            // An Arm between the look above and the reset saw the timer set and left it: look again.
            var deadline = Volatile.Read(ref _deadline);
            if (deadline == Disarmed || deadline > _time.GetTimestamp())
            {
                if (Interlocked.CompareExchange(ref _timerSet, 1, 0) == 0 && !SetForWhatIsLeft()) Interlocked.Exchange(ref _timerSet, 0);
                return;
            }

            expired = _source;
        }

        // Outside the lock: cancelling runs the waiters' callbacks, which may arm again.
        try
        {
            expired?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Replaced or disposed meanwhile.
        }
    }

    /// <summary>True when the deadline is still ahead and the timer was set again for it.</summary>
    private bool SetForWhatIsLeft()
    {
        var deadline = Volatile.Read(ref _deadline);
        if (deadline == Disarmed) return false;
        var left = deadline - _time.GetTimestamp();
        if (left <= 0) return false;
        Volatile.Write(ref _due, deadline);
        try
        {
            _timer?.Change(TimeSpan.FromSeconds(left / (double)_time.TimestampFrequency), Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // Disposed while firing.
        }

        return true;
    }

    private long ToTimestamp(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    /// <summary>Drops the timer, the source and its registrations; the next <see cref="Arm"/> makes new ones.</summary>
    public void Dispose()
    {
        _timer?.Dispose();
        _timer = null;
        Interlocked.Exchange(ref _timerSet, 0);
        lock (_firing)
        {
            _source?.Dispose();
            _source = null;
        }
    }
}
