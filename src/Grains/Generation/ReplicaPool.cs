namespace Router.Grains.Generation;

/// <summary>The replicas serving one model, and the choice of the next one to send a request to.</summary>
internal sealed class ReplicaPool(IReadOnlyList<OllamaReplica> replicas)
{
    private readonly Lock _gate = new();
    private uint _next;

    public IReadOnlyList<OllamaReplica> Replicas { get; } = replicas;

    /// <summary>
    /// Picks the replica for the next try and counts the request on it: a replica in rotation before
    /// one that is out, then the fewest requests in flight. Ties go round the pool, so an idle router
    /// spreads its requests too. Replicas out of rotation are still tried when nothing else is left:
    /// refusing a request because every replica failed once would turn a blip into an outage.
    /// Null when every replica has been tried.
    /// </summary>
    public OllamaReplica? Acquire(IReadOnlyCollection<OllamaReplica> tried)
    {
        // Choosing and counting under one lock, so concurrent requests see each other's choice.
        lock (_gate)
        {
            var start = _next++;
            OllamaReplica? best = null;
            for (var i = 0; i < Replicas.Count; i++)
            {
                var candidate = Replicas[(int)((start + (uint)i) % (uint)Replicas.Count)];
                if (tried.Contains(candidate)) continue;
                if (best is null || Better(candidate, best)) best = candidate;
            }

            best?.Enter();
            return best;
        }
    }

    private static bool Better(OllamaReplica candidate, OllamaReplica best) =>
        candidate.IsHealthy != best.IsHealthy ? candidate.IsHealthy : candidate.InFlight < best.InFlight;
}
