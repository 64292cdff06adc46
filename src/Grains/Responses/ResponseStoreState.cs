using Router.Grains.Interfaces.Responses;

namespace Router.Grains.Responses;

// Written with the Orleans serializer (see RouterStateSerializer): aliases and field ids are what is
// stored; rename freely, never renumber; a new shape gets a new alias (.v2).

/// <summary>The stored part of a <see cref="ResponseStoreGrain"/>: the response, or nothing once deleted or expired.</summary>
[GenerateSerializer, Alias("router.response-store-state.v1")]
public sealed record ResponseStoreState
{
    [Id(0)] public StoredResponse? Response { get; init; }
}
