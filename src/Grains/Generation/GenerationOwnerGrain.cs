using Orleans.Concurrency;
using Router.Grains.Interfaces;

namespace Router.Grains.Generation;

/// <summary>
/// The door to the <see cref="CompletionRunner"/> of the silo it lives on (see
/// <see cref="IGenerationOwnerGrain"/>). Reentrant: it only flips a cancellation switch.
/// </summary>
[Reentrant]
[SiloBoundPlacement]
internal sealed class GenerationOwnerGrain(CompletionRunner runner) : Grain, IGenerationOwnerGrain
{
    public ValueTask CancelAsync(Guid requestId, CancellationToken cancellationToken = default)
    {
        runner.Cancel(requestId);
        return ValueTask.CompletedTask;
    }
}
