namespace Router.Grains.Interfaces.Cluster;

/// <summary>
/// What one silo is doing right now, read from its own memory: the generations it runs, its Ollama
/// replicas as it sees them, and which classifier tiers decided its messages. Keyed by the silo's
/// address (<see cref="Orleans.Runtime.SiloAddress.ToParsableString"/>) and always activated on
/// that silo; for the console's Cluster page (<c>GET /admin/cluster</c>).
/// </summary>
public interface ISiloStatusGrain : IGrainWithStringKey
{
    /// <summary>This silo's figures now; reading them changes nothing.</summary>
    ValueTask<SiloReport> GetAsync(CancellationToken cancellationToken = default);
}

/// <summary>One silo's figures.</summary>
/// <param name="RunningGenerations">Generations running on the silo now.</param>
/// <param name="Replicas">Every Ollama server the silo sends to, as the silo sees it.</param>
/// <param name="ClassifierTiers">Messages classified on this silo since it started, by the tier that decided ("fallback": the classifier failed).</param>
[GenerateSerializer, Immutable, Alias("router.silo-report.v1")]
public sealed record SiloReport(
    [property: Id(0)] int RunningGenerations,
    [property: Id(1)] IReadOnlyList<ReplicaStatus> Replicas,
    [property: Id(2)] IReadOnlyDictionary<string, long> ClassifierTiers);

/// <summary>An Ollama server as one silo sees it.</summary>
/// <param name="Endpoint">Host and port (never the URL, which may carry credentials).</param>
/// <param name="Healthy">In rotation; false while it is ejected and probed.</param>
/// <param name="InFlight">Requests of this silo open on it.</param>
[GenerateSerializer, Immutable, Alias("router.replica-status.v1")]
public sealed record ReplicaStatus(
    [property: Id(0)] string Endpoint,
    [property: Id(1)] bool Healthy,
    [property: Id(2)] int InFlight);
