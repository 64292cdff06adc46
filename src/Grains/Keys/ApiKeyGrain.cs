using Microsoft.Extensions.Logging;
using Router.Grains.Diagnostics;
using Router.Grains.Interfaces;
using Router.Grains.Interfaces.Keys;

namespace Router.Grains.Keys;

/// <summary>
/// One API key (see <see cref="IApiKeyGrain"/>). Not reentrant on purpose: admissions and releases
/// of the key's requests are applied one at a time, from every web front, so its limits are exact.
/// The key's definition is stored; its counters live in this activation, and the day's token count
/// and the day's and month's spend are saved when the activation ends (idle collection, a silo
/// stopping) and taken back by the next.
/// A crash of its silo forgets the counts since (erring towards admitting), never the key or its revocation.
/// </summary>
public sealed class ApiKeyGrain(
    [PersistentState("key", RouterStorage.Keys)] IPersistentState<ApiKeyState> key,
    TimeProvider clock,
    ILogger<ApiKeyGrain> logger) : Grain, IApiKeyGrain
{
    private readonly KeyCounters _counters = new();
    private readonly KeySpend _spend = new();

    private string Id => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var s = key.State;
        var now = clock.GetUtcNow();
        if (s.UsageDay != 0) _counters.RestoreToday(DateOnly.FromDayNumber(s.UsageDay), s.TokensToday, now);
        if (s.SpendDay != 0) _spend.Restore(DateOnly.FromDayNumber(s.SpendDay), s.SpendToday, DateOnly.FromDayNumber(s.SpendMonth), s.SpendThisMonth, now);
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (day, tokens) = _counters.Today(now);
        var (spendDay, today, spendMonth, thisMonth) = _spend.Snapshot(now);
        var saved = key.State with
        {
            UsageDay = day.DayNumber, TokensToday = tokens,
            SpendDay = spendDay.DayNumber, SpendToday = today, SpendMonth = spendMonth.DayNumber, SpendThisMonth = thisMonth,
        };
        if (!key.State.Exists || saved == key.State) return;
        key.State = saved;
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
        return ValueTask.FromResult(KeyAdmissions.Decide(_counters, _spend, key.State.Limits, request, clock.GetUtcNow()));
    }

    public ValueTask ReleaseAsync(LeaseRelease release, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        _counters.Release(release, now);
        if (release.Cost is { } cost) _spend.Settle(release.LeaseId, cost, now);
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> SettleSpendAsync(SpendSettlement settlement, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_spend.Settle(settlement.LeaseId, settlement.Cost, clock.GetUtcNow()));

    private ApiKeyDetails? Details()
    {
        var s = key.State;
        if (!s.Exists) return null;
        var now = clock.GetUtcNow();
        var (today, thisMonth, held) = _spend.Usage(now);
        var usage = _counters.Usage(now) with { SpendToday = today, SpendThisMonth = thisMonth, SpendReserved = held };
        return new ApiKeyDetails(Id, s.UserId, s.Limits, s.CreatedAt, s.RevokedAt, usage);
    }
}
