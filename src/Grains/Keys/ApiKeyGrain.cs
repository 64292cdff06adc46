using Microsoft.Extensions.Logging;
using Router.Grains.Diagnostics;
using Router.Grains.Interfaces;
using Router.Grains.Interfaces.Keys;

namespace Router.Grains.Keys;

/// <summary>
/// One API key (see <see cref="IApiKeyGrain"/>). Not reentrant on purpose: admissions and releases
/// of the key's requests are applied one at a time, from every web front, so its limits are exact.
/// The key's definition is stored; its counters live in this activation, and the day's token count
/// is saved when the activation ends (idle collection, a silo stopping) and taken back by the next.
/// A crash of its silo forgets the counts since (erring towards admitting), never the key or its revocation.
/// </summary>
public sealed class ApiKeyGrain(
    [PersistentState("key", RouterStorage.Keys)] IPersistentState<ApiKeyState> key,
    TimeProvider clock,
    ILogger<ApiKeyGrain> logger) : Grain, IApiKeyGrain
{
    private readonly KeyCounters _counters = new();

    private string Id => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (key.State.UsageDay != 0) _counters.RestoreToday(DateOnly.FromDayNumber(key.State.UsageDay), key.State.TokensToday, clock.GetUtcNow());
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        var (day, tokens) = _counters.Today(clock.GetUtcNow());
        if (!key.State.Exists || (key.State.UsageDay == day.DayNumber && key.State.TokensToday == tokens)) return;
        key.State = key.State with { UsageDay = day.DayNumber, TokensToday = tokens };
        try
        {
            await key.WriteStateAsync(cancellationToken);
        }
        catch (Exception ex)
        {
            GrainsLog.KeyUsageNotSaved(logger, ex, Id);
        }
    }

    public async ValueTask<ApiKeyDetails?> CreateAsync(ApiKeySpec spec, CancellationToken cancellationToken = default)
    {
        if (key.State.Exists) return null;
        key.State = new ApiKeyState { UserId = spec.UserId, KeyHash = spec.KeyHash, Limits = spec.Limits, CreatedAt = clock.GetUtcNow() };
        await key.WriteStateAsync(cancellationToken);
        // The lookup comes after the key exists: a key that resolves always has its grain.
        await GrainFactory.GetGrain<IApiKeyLookupGrain>(spec.KeyHash).BindAsync(new ApiKeyIdentity(Id, spec.UserId), cancellationToken);
        await GrainFactory.GetGrain<IApiKeyRegistryGrain>(IApiKeyRegistryGrain.Name).AddAsync(Id, cancellationToken);
        GrainsLog.KeyCreated(logger, Id, spec.UserId);
        return Details();
    }

    public ValueTask<ApiKeyDetails?> GetAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(Details());

    public async ValueTask<ApiKeyDetails?> SetLimitsAsync(KeyLimits limits, CancellationToken cancellationToken = default)
    {
        if (!key.State.Exists) return null;
        key.State = key.State with { Limits = limits };
        await key.WriteStateAsync(cancellationToken);
        return Details();
    }

    public async ValueTask<ApiKeyDetails?> RevokeAsync(CancellationToken cancellationToken = default)
    {
        if (!key.State.Exists) return null;
        if (key.State.RevokedAt is null)
        {
            // Revoked here first: admissions ask this grain, so the key stops working at once even
            // if the lookup below fails (and is retried by the next revoke).
            key.State = key.State with { RevokedAt = clock.GetUtcNow() };
            await key.WriteStateAsync(cancellationToken);
            GrainsLog.KeyRevoked(logger, Id);
        }

        await GrainFactory.GetGrain<IApiKeyLookupGrain>(key.State.KeyHash).RevokeAsync(cancellationToken);
        return Details();
    }

    public ValueTask<LeaseDecision> AcquireAsync(LeaseRequest request, CancellationToken cancellationToken = default)
    {
        if (!key.State.Exists || key.State.RevokedAt is not null) return ValueTask.FromResult(new LeaseDecision(LeaseOutcome.Revoked));
        return ValueTask.FromResult(_counters.TryAcquire(key.State.Limits, request, clock.GetUtcNow()));
    }

    public ValueTask ReleaseAsync(LeaseRelease release, CancellationToken cancellationToken = default)
    {
        _counters.Release(release, clock.GetUtcNow());
        return ValueTask.CompletedTask;
    }

    private ApiKeyDetails? Details()
    {
        var s = key.State;
        return s.Exists ? new ApiKeyDetails(Id, s.UserId, s.Limits, s.CreatedAt, s.RevokedAt, _counters.Usage(clock.GetUtcNow())) : null;
    }
}
