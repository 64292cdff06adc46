using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Router.WebFront.Auth;

/// <summary>
/// Hashes of keys the cluster said are unknown or revoked, remembered for a while so that a client
/// repeating a bad key costs no grain call. Safe to cache: a revocation is final, and a key is only
/// ever issued (bound to its hash) before anyone could present it.
/// </summary>
public sealed class UnknownKeyCache : IDisposable
{
    private readonly MemoryCache? _cache;
    private readonly TimeSpan _time;

    public UnknownKeyCache(IOptions<AuthOptions> options)
    {
        var o = options.Value;
        _time = o.UnknownKeyCacheTime;
        if (o.UnknownKeyCacheSize > 0 && _time > TimeSpan.Zero)
        {
            _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = o.UnknownKeyCacheSize });
        }
    }

    public bool Contains(string keyHash) => _cache is not null && _cache.TryGetValue(keyHash, out _);

    public void Add(string keyHash) =>
        _cache?.Set(keyHash, true, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = _time });

    public void Dispose() => _cache?.Dispose();
}
