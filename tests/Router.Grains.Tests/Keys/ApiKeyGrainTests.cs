using Orleans.Core.Internal;
using Router.Grains.Interfaces.Keys;

namespace Router.Grains.Tests.Keys;

/// <summary>The key grains in a two-silo cluster: lookup by hash, revocation, and the day's count across activations.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ApiKeyGrainTests(ClusterFixture fixture)
{
    private static LeaseRequest Lease(long tokens) => new(Guid.NewGuid(), tokens, TimeSpan.FromMinutes(10));

    [Fact]
    public async Task A_key_resolves_by_its_hash_until_it_is_revoked()
    {
        var (id, hash) = Names();
        var key = fixture.Client.GetGrain<IApiKeyGrain>(id);
        Assert.NotNull(await key.CreateAsync(new ApiKeySpec("olivia", hash, KeyLimits.None)));
        Assert.Null(await key.CreateAsync(new ApiKeySpec("mallory", hash, KeyLimits.None)));

        var lookup = fixture.Client.GetGrain<IApiKeyLookupGrain>(hash);
        Assert.Equal(new ApiKeyIdentity(id, "olivia"), await lookup.ResolveAsync());
        Assert.Contains(id, await fixture.Client.GetGrain<IApiKeyRegistryGrain>(IApiKeyRegistryGrain.Name).ListAsync());

        var revoked = await key.RevokeAsync();
        Assert.NotNull(revoked?.RevokedAt);
        Assert.Null(await lookup.ResolveAsync());
        Assert.Equal(LeaseOutcome.Revoked, (await key.AcquireAsync(Lease(1))).Outcome);
        Assert.Null(await fixture.Client.GetGrain<IApiKeyLookupGrain>(Names().Hash).ResolveAsync());
    }

    [Fact]
    public async Task The_day_s_token_count_outlives_the_activation()
    {
        var (id, hash) = Names();
        var key = fixture.Client.GetGrain<IApiKeyGrain>(id);
        await key.CreateAsync(new ApiKeySpec("peggy", hash, new KeyLimits(TokensPerDay: 100)));
        var lease = Lease(80);
        Assert.Equal(LeaseOutcome.Granted, (await key.AcquireAsync(lease)).Outcome);
        await key.ReleaseAsync(new LeaseRelease(lease.LeaseId, 60));

        await key.AsReference<IGrainManagementExtension>().DeactivateOnIdle();

        var details = await key.GetAsync();
        Assert.Equal(0, details!.Usage.RequestsLastMinute); // a new activation: the minute's log is not kept
        Assert.Equal(60, details.Usage.TokensToday);
        var refused = await key.AcquireAsync(Lease(50));
        Assert.Equal("tokens_day", refused.Exceeded);
        Assert.Equal(40, refused.TokensDay!.Remaining);
    }

    private static (string Id, string Hash) Names() => ($"key_{Guid.NewGuid():N}"[..20], Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + new string('0', 32));
}
