using Orleans.Concurrency;
using Router.Grains.Interfaces;

namespace Router.Grains.Generation;

/// <summary>
/// The door to the <see cref="CompletionRunner"/> of the silo it lives on (see
/// <see cref="IGenerationOwnerGrain"/>). Reentrant: it flips switches and republishes kept items;
/// one answer's resume must not wait behind another's.
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

    public ValueTask<bool> ForbidAsync(Guid requestId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(runner.Forbid(requestId));

    public async ValueTask DetachAsync(Guid requestId, string laneKey, TimeSpan grace, CancellationToken cancellationToken = default) =>
        await runner.DetachAsync(requestId, RouterStreams.ForLane(laneKey), grace);

    public async ValueTask<ResumeTicket?> ResumeAsync(ResumeRequest request, CancellationToken cancellationToken = default) =>
        await runner.ResumeAsync(request);
}
