using System.Collections.Concurrent;
using System.Diagnostics;

namespace Router.Grains.Generation;

/// <summary>
/// Request ids whose start is refused on this silo: a web front that got no answer to a start
/// forbids its id everywhere before it tries again under a new one, so a start call still on its way
/// cannot begin a second generation (and a second charge) for one request. Kept a few minutes, far
/// longer than a start call can be delayed.
/// </summary>
internal sealed class ForbiddenStarts
{
    private static readonly TimeSpan Keep = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<Guid, long> _ids = new();

    public void Add(Guid requestId)
    {
        var now = Stopwatch.GetTimestamp();
        _ids[requestId] = now;
        // Forbidding is rare (starts that got no answer): pruning on each one keeps the set small.
        foreach (var (id, at) in _ids)
        {
            if (Stopwatch.GetElapsedTime(at, now) > Keep) _ids.TryRemove(id, out _);
        }
    }

    public bool Contains(Guid requestId) => _ids.ContainsKey(requestId);
}
