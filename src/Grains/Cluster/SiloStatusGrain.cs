using Orleans.Concurrency;
using Router.Grains.Diagnostics;
using Router.Grains.Generation;
using Router.Grains.Interfaces.Cluster;

namespace Router.Grains.Cluster;

/// <summary>Reads this silo's figures from the services that keep them; holds nothing itself.</summary>
[SiloBoundPlacement]
[Reentrant]
public sealed class SiloStatusGrain(CompletionRunner runner, ModelBackends backends, RouterInstruments instruments) : Grain, ISiloStatusGrain
{
    public ValueTask<SiloReport> GetAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(new SiloReport(
            runner.Running,
            backends.OllamaReplicas.Select(r => new ReplicaStatus(r.Endpoint, r.IsHealthy, r.InFlight)).OrderBy(r => r.Endpoint, StringComparer.Ordinal).ToList(),
            instruments.ClassifierTiers));
}
