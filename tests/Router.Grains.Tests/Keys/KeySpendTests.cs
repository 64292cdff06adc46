using Router.Grains.Interfaces.Keys;
using Router.Grains.Keys;

namespace Router.Grains.Tests.Keys;

/// <summary>The spend budgets' arithmetic on a fixed clock: holds, the output cap the remainder pays for, settlement, periods.</summary>
public sealed class KeySpendTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 31, 23, 59, 0, TimeSpan.Zero);

    /// <summary>A request of <paramref name="prompt"/> tokens at 0.01 each, asking for <paramref name="output"/> output tokens at 0.02 each.</summary>
    private static LeaseRequest Request(long prompt, long output) =>
        new(Guid.NewGuid(), prompt + output, TimeSpan.FromHours(1), prompt + 1, prompt * 0.01m, 0.02m);

    private static LeaseDecision Decide(KeyCounters counters, KeySpend spend, KeyLimits limits, LeaseRequest request, DateTimeOffset at) =>
        KeyAdmissions.Decide(counters, spend, limits, request, at);

    [Fact]
    public void The_output_cap_is_cut_to_what_the_remainder_pays_for_and_holds_never_pass_the_budget()
    {
        var (counters, spend) = (new KeyCounters(), new KeySpend());
        var limits = new KeyLimits(SpendPerDay: 1.00m);

        // 10 prompt tokens cost 0.10; 0.90 left pays for 45 output tokens, not the 100 asked.
        var first = Decide(counters, spend, limits, Request(10, 100), T0);
        Assert.Equal(LeaseOutcome.Granted, first.Outcome);
        Assert.Equal(55, first.Reserved);
        Assert.Equal(1.00m, first.ReservedSpend);
        Assert.Equal(new SpendStatus(1.00m, 0m, TimeSpan.FromSeconds(60)), first.SpendDay);

        // Nothing is left while the hold runs: refused until the day ends.
        var second = Decide(counters, spend, limits, Request(1, 1), T0);
        Assert.Equal(LeaseOutcome.RateLimited, second.Outcome);
        Assert.Equal("spend_day", second.Exceeded);
        Assert.Equal(TimeSpan.FromSeconds(60), second.RetryAfter);
    }

    [Fact]
    public void A_settlement_replaces_the_hold_with_the_real_cost_once()
    {
        var (counters, spend) = (new KeyCounters(), new KeySpend());
        var limits = new KeyLimits(SpendPerDay: 1.00m, SpendPerMonth: 10m);
        var request = Request(10, 100);
        Decide(counters, spend, limits, request, T0);

        Assert.True(spend.Settle(request.LeaseId, 0.30m, T0));
        Assert.False(spend.Settle(request.LeaseId, 0.30m, T0));
        Assert.Equal((0.30m, 0.30m, 0m), spend.Usage(T0));

        // 0.70 left: a prompt of 0.10 and 30 output tokens of 0.02.
        var next = Decide(counters, spend, limits, Request(10, 1000), T0);
        Assert.Equal(40, next.Reserved);
        Assert.Equal(0.70m, next.ReservedSpend);
    }

    [Fact]
    public void A_remainder_that_does_not_pay_for_the_prompt_and_one_token_refuses_and_the_month_waits_longest()
    {
        var (counters, spend) = (new KeyCounters(), new KeySpend());
        var limits = new KeyLimits(SpendPerDay: 0.11m, SpendPerMonth: 0.11m);
        var refused = Decide(counters, spend, limits, Request(10, 5), T0.AddDays(-1));

        // 0.10 prompt + 0.02 for one output token is more than 0.11: both budgets refuse; the month ends later.
        Assert.Equal(LeaseOutcome.RateLimited, refused.Outcome);
        Assert.Equal("spend_month", refused.Exceeded);
        Assert.Equal(TimeSpan.FromSeconds(86_460), refused.RetryAfter);
        Assert.Equal(0, spend.Usage(T0).Held);
    }

    [Fact]
    public void An_unsettled_hold_is_charged_in_full_when_it_expires_and_a_new_period_starts_at_zero()
    {
        var (counters, spend) = (new KeyCounters(), new KeySpend());
        var limits = new KeyLimits(SpendPerMonth: 5m);
        var request = Request(10, 10) with { MaxDuration = TimeSpan.FromSeconds(30) };
        Assert.Equal(0.30m, Decide(counters, spend, limits, request, T0).ReservedSpend);

        Assert.Equal((0.30m, 0.30m, 0m), spend.Usage(T0.AddSeconds(30)));
        Assert.False(spend.Settle(request.LeaseId, 0.01m, T0.AddSeconds(31)));

        // April 1st: a new day and a new month.
        Assert.Equal((0m, 0m, 0m), spend.Usage(T0.AddSeconds(61)));
    }

    [Fact]
    public void Without_a_budget_spend_is_still_counted_and_nothing_is_cut()
    {
        var (counters, spend) = (new KeyCounters(), new KeySpend());
        var request = Request(10, 100_000);
        var granted = Decide(counters, spend, KeyLimits.None, request, T0);
        Assert.Equal(100_010, granted.Reserved);
        Assert.Null(granted.SpendDay);
        Assert.True(spend.Settle(request.LeaseId, 1.5m, T0));
        Assert.Equal((1.5m, 1.5m, 0m), spend.Usage(T0));
    }

    [Fact]
    public void Saved_spend_comes_back_for_its_own_period_only()
    {
        var spend = new KeySpend();
        var day = DateOnly.FromDateTime(T0.UtcDateTime);
        spend.Restore(day, 2m, new DateOnly(2026, 3, 1), 7m, T0);
        Assert.Equal((2m, 7m, 0m), spend.Usage(T0));

        var later = new KeySpend();
        later.Restore(day, 2m, new DateOnly(2026, 3, 1), 7m, T0.AddDays(1));
        Assert.Equal((0m, 0m, 0m), later.Usage(T0.AddDays(1)));
    }
}
