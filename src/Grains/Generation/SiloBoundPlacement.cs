using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace Router.Grains.Generation;

/// <summary>Places a grain on the silo its key names (a <see cref="SiloAddress.ToParsableString"/>).</summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class SiloBoundPlacement : PlacementStrategy
{
    internal static SiloBoundPlacement Instance { get; } = new();
}

/// <summary>Marks a grain whose key is the address of the silo it must live on.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SiloBoundPlacementAttribute() : PlacementAttribute(SiloBoundPlacement.Instance);

/// <summary>
/// Puts the activation on the silo named by the grain key. A key naming a silo that is not in the
/// cluster (it died) fails the call instead of activating elsewhere, where there is nothing to find.
/// </summary>
internal sealed class SiloBoundPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silo = SiloAddress.FromParsableString(target.GrainIdentity.Key.ToString()!);
        if (!context.GetCompatibleSilos(target).Contains(silo))
        {
            throw new OrleansException($"Silo {silo} is not an active member of the cluster.");
        }

        return Task.FromResult(silo);
    }
}
