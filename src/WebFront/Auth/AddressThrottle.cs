using System.Threading.RateLimiting;

namespace Router.WebFront.Auth;

/// <summary>
/// A token bucket per client address (<see cref="ClientAddress"/>): <c>burst</c> tokens, one back
/// every <c>60 s / perMinute</c>. Idle buckets are dropped by the limiter itself, so memory follows
/// the addresses seen recently, not all addresses ever seen.
/// </summary>
public sealed class AddressThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public AddressThrottle(int burst, int perMinute)
    {
        Period = TimeSpan.FromMinutes(1) / perMinute;
        var options = new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = Period,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        _limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetTokenBucketLimiter(address, _ => options));
    }

    /// <summary>How often a token comes back.</summary>
    public TimeSpan Period { get; }

    /// <summary>What <c>Retry-After</c> says to a throttled address: whole seconds until a token is back, at least 1.</summary>
    public int RetryAfterSeconds => Math.Max(1, (int)Math.Ceiling(Period.TotalSeconds));

    /// <summary>Whether <paramref name="address"/> has no token left (takes none).</summary>
    public bool IsExhausted(string address) =>
        // Not AttemptAcquire(0): the bucket refills continuously, and any fraction of a token passes that.
        _limiter.GetStatistics(address) is { CurrentAvailablePermits: < 1 };

    /// <summary>Takes a token of <paramref name="address"/>; false when there was none.</summary>
    public bool TryTake(string address)
    {
        using var lease = _limiter.AttemptAcquire(address, 1);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
