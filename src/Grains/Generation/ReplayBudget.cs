namespace Router.Grains.Generation;

/// <summary>
/// The memory the replay logs of a silo's running answers may take together
/// (<see cref="Options.GenerationOptions.RunningReplayBytes"/>): each log takes its items' bytes as
/// it keeps them and gives them back when its answer ends or the log is dropped. Finished answers'
/// logs are bounded apart, by the cache that keeps them.
/// </summary>
internal sealed class ReplayBudget(long limit)
{
    private long _used;

    /// <summary>Bytes taken now.</summary>
    public long Used => Interlocked.Read(ref _used);

    /// <summary>Takes <paramref name="bytes"/> if they fit; false (nothing taken) when they do not.</summary>
    public bool TryTake(long bytes)
    {
        if (Interlocked.Add(ref _used, bytes) <= limit) return true;
        Interlocked.Add(ref _used, -bytes);
        return false;
    }

    public void Return(long bytes) => Interlocked.Add(ref _used, -bytes);
}
