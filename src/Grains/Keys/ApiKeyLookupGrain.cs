using Orleans.Concurrency;
using Router.Grains.Interfaces;
using Router.Grains.Interfaces.Keys;

namespace Router.Grains.Keys;

/// <summary>
/// A key's hash to its id and user (see <see cref="IApiKeyLookupGrain"/>). Every request of the key
/// resolves here, so resolving is read-only and interleaves.
/// </summary>
public sealed class ApiKeyLookupGrain(
    [PersistentState("lookup", RouterStorage.Keys)] IPersistentState<ApiKeyLookupState> lookup) : Grain, IApiKeyLookupGrain
{
    public async ValueTask BindAsync(ApiKeyIdentity identity, CancellationToken cancellationToken = default)
    {
        if (lookup.State.Identity is not null) return;
        lookup.State = new ApiKeyLookupState { Identity = identity };
        await lookup.WriteStateAsync(cancellationToken);
    }

    [ReadOnly]
    public ValueTask<ApiKeyIdentity?> ResolveAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(lookup.State.Revoked ? null : lookup.State.Identity);

    public async ValueTask RevokeAsync(CancellationToken cancellationToken = default)
    {
        if (lookup.State.Revoked) return;
        lookup.State = lookup.State with { Revoked = true };
        await lookup.WriteStateAsync(cancellationToken);
    }
}

/// <summary>Every key id, for listing (see <see cref="IApiKeyRegistryGrain"/>).</summary>
public sealed class ApiKeyRegistryGrain(
    [PersistentState("registry", RouterStorage.Keys)] IPersistentState<ApiKeyRegistryState> registry) : Grain, IApiKeyRegistryGrain
{
    public async ValueTask AddAsync(string keyId, CancellationToken cancellationToken = default)
    {
        if (registry.State.KeyIds.Contains(keyId)) return;
        registry.State.KeyIds.Add(keyId);
        await registry.WriteStateAsync(cancellationToken);
    }

    [ReadOnly]
    public ValueTask<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<string>>(registry.State.KeyIds.ToArray());
}
