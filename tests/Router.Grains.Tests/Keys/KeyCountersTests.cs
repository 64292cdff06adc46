using Router.Grains.Interfaces.Keys;
using Router.Grains.Keys;

namespace Router.Grains.Tests.Keys;

/// <summary>The counters' arithmetic on a fixed clock: sliding minute, UTC day, stream slots, settlement.</summary>
public sealed class KeyCountersTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 59, TimeSpan.Zero);

    private static LeaseRequest Lease(long tokens = 0) => new(Guid.NewGuid(), tokens, TimeSpan.FromHours(1));

    [Fact]
    public void The_minute_slides_so_no_60_second_span_admits_more_than_the_limit()
    {
        var counters = new KeyCounters();
        var limits = new KeyLimits(RequestsPerMinute: 3);
        Assert.All(Enumerable.Range(0, 3), _ => Assert.Equal(LeaseOutcome.Granted, counters.TryAcquire(limits, Lease(), T0).Outcome));

        // A fixed window would reset at 12:01:00, two seconds later; the sliding one does not.
        var refused = counters.TryAcquire(limits, Lease(), T0.AddSeconds(2));
        Assert.Equal(LeaseOutcome.RateLimited, refused.Outcome);
        Assert.Equal("requests", refused.Exceeded);
        Assert.Equal(TimeSpan.FromSeconds(58), refused.RetryAfter);
        Assert.Equal(new LimitStatus(3, 0, TimeSpan.FromSeconds(58)), refused.Requests);

        Assert.Equal(LeaseOutcome.Granted, counters.TryAcquire(limits, Lease(), T0.AddSeconds(60)).Outcome);
    }

    [Fact]
    public void Tokens_are_reserved_then_replaced_by_the_real_count()
    {
        var counters = new KeyCounters();
        var limits = new KeyLimits(TokensPerMinute: 1000, TokensPerDay: 5000);
        var first = Lease(600);
        Assert.Equal(LeaseOutcome.Granted, counters.TryAcquire(limits, first, T0).Outcome);

        var second = counters.TryAcquire(limits, Lease(600), T0);
        Assert.Equal("tokens", second.Exceeded);
        Assert.Equal(new LimitStatus(1000, 400, TimeSpan.FromSeconds(60)), second.Tokens);

        counters.Release(new LeaseRelease(first.LeaseId, 42), T0.AddSeconds(1));
        Assert.Equal(new KeyUsage(1, 42, 42, 0), counters.Usage(T0.AddSeconds(1)));
        Assert.Equal(LeaseOutcome.Granted, counters.TryAcquire(limits, Lease(600), T0.AddSeconds(1)).Outcome);
    }

    [Fact]
    public void A_release_without_a_count_keeps_the_reservation_and_a_reservation_never_exceeds_the_limit()
    {
        var counters = new KeyCounters();
        var limits = new KeyLimits(TokensPerMinute: 500);
        var lease = Lease(100_000);
        Assert.Equal(LeaseOutcome.Granted, counters.TryAcquire(limits, lease, T0).Outcome);
        Assert.Equal(500, counters.Usage(T0).TokensLastMinute);

        counters.Release(new LeaseRelease(lease.LeaseId, null), T0);
        Assert.Equal(new KeyUsage(1, 500, 500, 0), counters.Usage(T0));
    }

    [Fact]
    public void The_day_is_the_utc_calendar_day()
    {
        var counters = new KeyCounters();
        var limits = new KeyLimits(TokensPerDay: 100);
        var late = new DateTimeOffset(2026, 3, 1, 23, 59, 0, TimeSpan.Zero);
        Assert.Equal(LeaseOutcome.Granted, counters.TryAcquire(limits, Lease(100), late).Outcome);

        var refused = counters.TryAcquire(limits, Lease(1), late.AddSeconds(30));
        Assert.Equal("tokens_day", refused.Exceeded);
        Assert.Equal(TimeSpan.FromSeconds(30), refused.RetryAfter);
        Assert.Equal(LeaseOutcome.Granted, counters.TryAcquire(limits, Lease(1), late.AddMinutes(1)).Outcome);
    }

    [Fact]
    public void Stream_slots_are_held_until_released_or_expired()
    {
        var counters = new KeyCounters();
        var limits = new KeyLimits(ConcurrentStreams: 1);
        var held = new LeaseRequest(Guid.NewGuid(), 0, TimeSpan.FromMinutes(5));
        Assert.Equal(LeaseOutcome.Granted, counters.TryAcquire(limits, held, T0).Outcome);
        Assert.Equal("streams", counters.TryAcquire(limits, Lease(), T0).Exceeded);

        counters.Release(new LeaseRelease(held.LeaseId, 0), T0);
        var next = new LeaseRequest(Guid.NewGuid(), 0, TimeSpan.FromMinutes(5));
        Assert.Equal(LeaseOutcome.Granted, counters.TryAcquire(limits, next, T0).Outcome);

        // Never released (its web front died): given back after its maximum duration.
        Assert.Equal(LeaseOutcome.RateLimited, counters.TryAcquire(limits, Lease(), T0.AddMinutes(4)).Outcome);
        Assert.Equal(LeaseOutcome.Granted, counters.TryAcquire(limits, Lease(), T0.AddMinutes(5)).Outcome);
    }
}
