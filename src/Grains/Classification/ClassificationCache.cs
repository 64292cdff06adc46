using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Router.Grains.Diagnostics;
using Router.Grains.Options;

namespace Router.Grains.Classification;

/// <summary>
/// A silo-wide, bounded cache in front of <see cref="IPromptClassifier"/>. Messages that differ only
/// in white space and case share an entry; concurrent lookups of a missing entry share one call.
/// Failures are not cached.
/// </summary>
public sealed class ClassificationCache : IDisposable
{
    private readonly IPromptClassifier _classifier;
    private readonly RouterInstruments _instruments;
    private readonly ClassifierOptions _options;
    private readonly MemoryCache _cache;
    private readonly ConcurrentDictionary<string, Lazy<Task<PromptRoute>>> _inFlight = new();

    public ClassificationCache(IPromptClassifier classifier, RouterInstruments instruments, IOptions<ClassifierOptions> options)
    {
        _classifier = classifier;
        _instruments = instruments;
        _options = options.Value;
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = _options.CacheSize });
    }

    /// <summary>The classification of a message and whether it came from the cache.</summary>
    public Task<(PromptRoute Route, bool CacheHit)> GetAsync(string message, CancellationToken cancellationToken) =>
        GetAsync(message, KeyOf(message), cancellationToken);

    private async Task<(PromptRoute Route, bool CacheHit)> GetAsync(string message, string key, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(key, out PromptRoute? cached) && cached is not null)
        {
            _instruments.ClassifierCacheHit();
            return (cached, true);
        }

        _instruments.ClassifierCacheMiss();
        var lazy = _inFlight.GetOrAdd(key, k => new Lazy<Task<PromptRoute>>(() => ClassifyAndStoreAsync(k, message)));
        var route = await lazy.Value.WaitAsync(cancellationToken);
        return (route, false);
    }

    private async Task<PromptRoute> ClassifyAndStoreAsync(string key, string message)
    {
        try
        {
            // The shared call must not die with the first caller's cancellation: others wait on it too.
            var route = await _classifier.ClassifyAsync(message, CancellationToken.None);
            if (_options.CacheTtl > TimeSpan.Zero)
            {
                _cache.Set(key, route, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = _options.CacheTtl });
            }

            return route;
        }
        finally
        {
            _inFlight.TryRemove(key, out _);
        }
    }

    /// <summary>
    /// The follow-up probability of a message, kept beside its classification under the same key: a
    /// conversation's earlier turns are weighed again on every request of that conversation.
    /// </summary>
    public double FollowUpProbability(string message) => FollowUpProbability(message, KeyOf(message));

    private double FollowUpProbability(string message, string messageKey)
    {
        var key = FollowUpKeyPrefix + messageKey;
        if (_cache.TryGetValue(key, out double probability)) return probability;
        probability = _classifier.FollowUpProbability(message);
        if (_options.CacheTtl > TimeSpan.Zero)
        {
            _cache.Set(key, probability, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = _options.CacheTtl });
        }

        return probability;
    }

    private const string FollowUpKeyPrefix = "f:";

    /// <summary>The cache key: a hash of the message with white space collapsed and case folded.</summary>
    internal static string KeyOf(string message)
    {
        // Hashing keeps long prompts out of the cache's memory; SHA-256 so that no prompt can be made to
        // share another's entry.
        var buffer = ArrayPool<char>.Shared.Rent(message.Length);
        try
        {
            var length = Normalise(message, buffer);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            var bytes = MemoryMarshal.AsBytes(buffer.AsSpan(0, length));
            SHA256.HashData(bytes, hash);
            return Convert.ToHexString(hash);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private static int Normalise(string message, Span<char> into)
    {
        var length = 0;
        var pendingSpace = false;
        foreach (var c in message)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = length > 0;
                continue;
            }

            if (pendingSpace)
            {
                into[length++] = ' ';
                pendingSpace = false;
            }

            into[length++] = char.ToLowerInvariant(c);
        }

        return length;
    }

    public void Dispose() => _cache.Dispose();
}
