namespace Router.WebFront.RequestLog;

/// <summary>What the writer has done so far: rows written, rows dropped (buffer full), cleanups run.</summary>
public readonly record struct RequestLogProgress(long Written, long Dropped, long Cleanups);

/// <summary>
/// The writer's progress as an awaitable signal, so a reader of the log (a test, a drain) waits for the
/// next batch or drop instead of polling on a timer. Updating costs a swap of one completion source per
/// batch, never per row.
/// </summary>
internal sealed class RequestLogProgressSignal
{
    private long _written;
    private long _dropped;
    private long _cleanups;
    private TaskCompletionSource _changed = NewSource();

    public RequestLogProgress Current => new(Volatile.Read(ref _written), Volatile.Read(ref _dropped), Volatile.Read(ref _cleanups));

    public void Written(int rows)
    {
        Interlocked.Add(ref _written, rows);
        Changed();
    }

    public void Dropped()
    {
        Interlocked.Increment(ref _dropped);
        Changed();
    }

    public void CleanedUp()
    {
        Interlocked.Increment(ref _cleanups);
        Changed();
    }

    /// <summary>Completes as soon as <see cref="Current"/> is no longer <paramref name="seen"/>.</summary>
    public Task WhenChangedAsync(RequestLogProgress seen, CancellationToken cancellationToken)
    {
        // The source is read before the counts: a change after this read completes it, one before shows in the counts.
        var changed = Volatile.Read(ref _changed);
        return Current != seen ? Task.CompletedTask : changed.Task.WaitAsync(cancellationToken);
    }

    private void Changed() => Interlocked.Exchange(ref _changed, NewSource()).TrySetResult();

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
