namespace Router.Grains.Interfaces.Keys;

/// <summary>
/// One API key, keyed by its id: who it names, its limits, whether it is revoked, and its live
/// counters. Not reentrant, so it is the single writer of its counters for the whole cluster:
/// limits hold exactly however many web fronts and silos admit requests.
/// </summary>
public interface IApiKeyGrain : IGrainWithStringKey
{
    /// <summary>Creates the key (and its hash lookup and registry entry). Null if this id is taken.</summary>
    ValueTask<ApiKeyDetails?> CreateAsync(ApiKeySpec spec, CancellationToken cancellationToken = default);

    /// <summary>The key with its current usage; null if it was never created.</summary>
    ValueTask<ApiKeyDetails?> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>Replaces the limits; null if the key was never created.</summary>
    ValueTask<ApiKeyDetails?> SetLimitsAsync(KeyLimits limits, CancellationToken cancellationToken = default);

    /// <summary>Revokes the key: from the moment this returns, no request with it is admitted. Null if it was never created.</summary>
    ValueTask<ApiKeyDetails?> RevokeAsync(CancellationToken cancellationToken = default);

    /// <summary>Admits a request under the limits (holding a stream slot and reserving tokens) or says why not.</summary>
    ValueTask<LeaseDecision> AcquireAsync(LeaseRequest request, CancellationToken cancellationToken = default);

    /// <summary>Ends a granted lease: frees its stream slot and settles its tokens (and its spend, when the release carries a cost). Unknown leases are ignored.</summary>
    ValueTask ReleaseAsync(LeaseRelease release, CancellationToken cancellationToken = default);

    /// <summary>
    /// Settles a lease's spend with the request's real cost, whether or not its tokens are settled yet.
    /// True when this settled it; false when it was settled before, expired (its reservation stays
    /// charged) or unknown: the caller then bills nothing more.
    /// </summary>
    ValueTask<bool> SettleSpendAsync(SpendSettlement settlement, CancellationToken cancellationToken = default);
}

/// <summary>The way from a presented key to its id, keyed by the key's SHA-256 (lower-case hex).</summary>
public interface IApiKeyLookupGrain : IGrainWithStringKey
{
    /// <summary>Records which key this hash belongs to; called once, when the key is created.</summary>
    ValueTask BindAsync(ApiKeyIdentity identity, CancellationToken cancellationToken = default);

    /// <summary>Who the key names; null when no such key exists or it was revoked.</summary>
    ValueTask<ApiKeyIdentity?> ResolveAsync(CancellationToken cancellationToken = default);

    /// <summary>Marks the key revoked, so resolving it fails from now on.</summary>
    ValueTask RevokeAsync(CancellationToken cancellationToken = default);
}

/// <summary>The list of every key id, for the admin API; one instance, key <see cref="Name"/>.</summary>
public interface IApiKeyRegistryGrain : IGrainWithStringKey
{
    /// <summary>The registry's grain key.</summary>
    public const string Name = "all";

    /// <summary>Adds a key id (idempotent).</summary>
    ValueTask AddAsync(string keyId, CancellationToken cancellationToken = default);

    /// <summary>Every key id, in creation order.</summary>
    ValueTask<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default);
}
