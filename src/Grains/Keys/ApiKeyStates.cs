using Router.Grains.Interfaces.Keys;

namespace Router.Grains.Keys;

// The stored shapes of the key grains. They are written with the Orleans serializer (see
// RouterStateSerializer), so what is stored is these aliases and field ids, never CLR type or
// property names: rename freely, never renumber; a new shape gets a new alias (.v2).

/// <summary>The stored part of an <see cref="ApiKeyGrain"/>: the key, and the day's token count (see the grain).</summary>
[GenerateSerializer, Alias("router.key-state.v1")]
public sealed record ApiKeyState
{
    /// <summary>Empty until the key is created.</summary>
    [Id(0)] public string UserId { get; init; } = "";

    [Id(1)] public string KeyHash { get; init; } = "";

    [Id(2)] public KeyLimits Limits { get; init; } = KeyLimits.None;

    [Id(3)] public DateTimeOffset CreatedAt { get; init; }

    [Id(4)] public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>The UTC day (<see cref="DateOnly.DayNumber"/>) of <see cref="TokensToday"/>, saved when the activation ends.</summary>
    [Id(5)] public int UsageDay { get; init; }

    /// <summary>Tokens counted that day, so an idle key's daily count survives the collection of its activation.</summary>
    [Id(6)] public long TokensToday { get; init; }

    /// <summary>The UTC day (<see cref="DateOnly.DayNumber"/>) of <see cref="SpendToday"/>, saved with the token count.</summary>
    [Id(7)] public int SpendDay { get; init; }

    /// <summary>Spend settled that day, in the pricing currency.</summary>
    [Id(8)] public decimal SpendToday { get; init; }

    /// <summary>The first day (<see cref="DateOnly.DayNumber"/>) of the UTC month of <see cref="SpendThisMonth"/>.</summary>
    [Id(9)] public int SpendMonth { get; init; }

    /// <summary>Spend settled that month.</summary>
    [Id(10)] public decimal SpendThisMonth { get; init; }

    public bool Exists => UserId.Length > 0;
}

/// <summary>The stored part of an <see cref="ApiKeyLookupGrain"/>.</summary>
[GenerateSerializer, Alias("router.key-lookup-state.v1")]
public sealed record ApiKeyLookupState
{
    [Id(0)] public ApiKeyIdentity? Identity { get; init; }

    [Id(1)] public bool Revoked { get; init; }
}

/// <summary>The stored part of the <see cref="ApiKeyRegistryGrain"/>.</summary>
[GenerateSerializer, Alias("router.key-registry-state.v1")]
public sealed record ApiKeyRegistryState
{
    [Id(0)] public List<string> KeyIds { get; init; } = [];
}
