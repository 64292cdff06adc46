using System.Collections.Concurrent;
using Orleans.Storage;

namespace Router.Grains.Tests.Sessions;

/// <summary>
/// An in-memory grain store whose writes wait until the test opens the gate, so a test can see what
/// happens while a write is still in flight. Reads see only completed writes.
/// </summary>
public sealed class GatedGrainStorage : IGrainStorage
{
    private readonly ConcurrentDictionary<GrainId, (object State, string ETag)> _stored = new();
    private TaskCompletionSource _gate = NewOpenGate();
    private int _waiting;
    private readonly ConcurrentDictionary<GrainId, int> _writes = new();

    /// <summary>Writes waiting at the gate right now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Writes of one grain stored so far.</summary>
    public int WritesOf(GrainId grainId) => _writes.GetValueOrDefault(grainId);

    public void Close() => Interlocked.Exchange(ref _gate, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public void Open() => _gate.TrySetResult();

    public bool Has(GrainId grainId) => _stored.ContainsKey(grainId);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_stored.TryGetValue(grainId, out var entry))
        {
            grainState.State = (T)entry.State;
            grainState.ETag = entry.ETag;
            grainState.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        Interlocked.Increment(ref _waiting);
        try
        {
            await _gate.Task;
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }

        // Stored as a deep copy, as a real store would serialize it.
        var copy = System.Text.Json.JsonSerializer.Deserialize<T>(System.Text.Json.JsonSerializer.Serialize(grainState.State))!;
        var etag = Guid.NewGuid().ToString("N");
        _stored[grainId] = (copy, etag);
        _writes.AddOrUpdate(grainId, 1, static (_, count) => count + 1);
        grainState.ETag = etag;
        grainState.RecordExists = true;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        _stored.TryRemove(grainId, out _);
        return Task.CompletedTask;
    }

    private static TaskCompletionSource NewOpenGate()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }
}
