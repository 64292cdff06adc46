using Router.Grains.Interfaces.Keys;

namespace Router.Grains.Keys;

/// <summary>
/// The spend of one key against its budgets (<see cref="KeyLimits.SpendPerDay"/>, <see cref="KeyLimits.SpendPerMonth"/>):
/// what was settled this UTC day and calendar month, and the holds of running requests. A request is
/// admitted only while settled spend plus every hold stays below a budget, and only with a hold the
/// remainder pays for, so running requests together can never spend past it: the remainder decides
/// the request's output cap. A hold is settled once, with the cost its request's log row records; a
/// hold nobody settles in time stays charged in full (its web front died: the spend is unknown).
/// </summary>
internal sealed class KeySpend
{
    private readonly Dictionary<Guid, Hold> _holds = [];
    private DateOnly _day;
    private decimal _today;
    private DateOnly _month;
    private decimal _thisMonth;
    private decimal _held;

    /// <summary>
    /// How many output tokens the budgets' remainder pays for after the request's prompt, or the
    /// refusal when it does not pay for the prompt and one output token. No budget: no bound.
    /// </summary>
    public (string? Exceeded, TimeSpan RetryAfter, long MaxOutput) Check(KeyLimits limits, LeaseRequest request, DateTimeOffset now)
    {
        Prune(now);
        var maxOutput = long.MaxValue;
        string? exceeded = null;
        var retryAfter = TimeSpan.Zero;
        foreach (var (budget, spent, name, end) in Budgets(limits, now))
        {
            var remaining = budget - spent - _held;
            var affordable = remaining <= 0m || request.PromptCost >= remaining ? 0L
                : request.OutputTokenCost <= 0m ? long.MaxValue
                : (long)Math.Min(long.MaxValue, decimal.Floor((remaining - request.PromptCost) / request.OutputTokenCost));
            if (affordable < 1)
            {
                // Both spent: the later period's end is the earliest a request can pass.
                if (exceeded is null || end > retryAfter) (exceeded, retryAfter) = (name, end);
                continue;
            }

            maxOutput = Math.Min(maxOutput, affordable);
        }

        return (exceeded, retryAfter, exceeded is null ? maxOutput : 0);
    }

    /// <summary>True while the lease holds spend (an admission asked again).</summary>
    public bool IsHeld(Guid leaseId) => _holds.ContainsKey(leaseId);

    /// <summary>Holds <paramref name="amount"/> for a granted lease until it is settled or expires.</summary>
    public decimal Reserve(Guid leaseId, decimal amount, DateTimeOffset expires)
    {
        if (_holds.TryGetValue(leaseId, out var held)) return held.Amount;
        amount = Math.Max(0m, amount);
        _holds[leaseId] = new Hold(amount, _day, _month, expires);
        _held += amount;
        return amount;
    }

    /// <summary>Replaces a hold with the request's real cost; false when there is no such hold (settled, expired, unknown).</summary>
    public bool Settle(Guid leaseId, decimal cost, DateTimeOffset now)
    {
        Prune(now);
        if (!_holds.Remove(leaseId, out var hold)) return false;
        _held -= hold.Amount;
        Charge(hold, Math.Max(0m, cost));
        return true;
    }

    /// <summary>The state of each budget the key has, for the decision's headers.</summary>
    public (SpendStatus? Day, SpendStatus? Month) Status(KeyLimits limits, DateTimeOffset now)
    {
        Prune(now);
        return (
            limits.SpendPerDay is { } day ? new SpendStatus(day, Math.Max(0m, day - _today - _held), UntilTomorrow(now)) : null,
            limits.SpendPerMonth is { } month ? new SpendStatus(month, Math.Max(0m, month - _thisMonth - _held), UntilNextMonth(now)) : null);
    }

    /// <summary>Settled today, settled this month, held by running requests.</summary>
    public (decimal Today, decimal ThisMonth, decimal Held) Usage(DateTimeOffset now)
    {
        Prune(now);
        return (_today, _thisMonth, _held);
    }

    /// <summary>The day's and the month's settled spend, to be saved.</summary>
    public (DateOnly Day, decimal Today, DateOnly Month, decimal ThisMonth) Snapshot(DateTimeOffset now)
    {
        Prune(now);
        return (_day, _today, _month, _thisMonth);
    }

    /// <summary>Takes back saved spend (a period that is over is ignored).</summary>
    public void Restore(DateOnly day, decimal today, DateOnly month, decimal thisMonth, DateTimeOffset now)
    {
        Prune(now);
        if (day == _day) _today = Math.Max(_today, today);
        if (month == _month) _thisMonth = Math.Max(_thisMonth, thisMonth);
    }

    internal static TimeSpan UntilTomorrow(DateTimeOffset now) =>
        new DateTimeOffset(DateOnly.FromDateTime(now.UtcDateTime).AddDays(1), TimeOnly.MinValue, TimeSpan.Zero) - now;

    internal static TimeSpan UntilNextMonth(DateTimeOffset now) =>
        new DateTimeOffset(MonthOf(now).AddMonths(1), TimeOnly.MinValue, TimeSpan.Zero) - now;

    private IEnumerable<(decimal Budget, decimal Spent, string Name, TimeSpan End)> Budgets(KeyLimits limits, DateTimeOffset now)
    {
        if (limits.SpendPerDay is { } day) yield return (day, _today, "spend_day", UntilTomorrow(now));
        if (limits.SpendPerMonth is { } month) yield return (month, _thisMonth, "spend_month", UntilNextMonth(now));
    }

    /// <summary>A hold's cost counts in the periods it was taken in, as its request's log row (dated at its arrival) does.</summary>
    private void Charge(Hold hold, decimal cost)
    {
        if (hold.Day == _day) _today += cost;
        if (hold.Month == _month) _thisMonth += cost;
    }

    private void Prune(DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (today != _day)
        {
            _day = today;
            _today = 0m;
        }

        var month = MonthOf(now);
        if (month != _month)
        {
            _month = month;
            _thisMonth = 0m;
        }

        if (_holds.Count == 0) return;
        List<Guid>? expired = null;
        foreach (var (id, hold) in _holds)
        {
            if (hold.Expires <= now) (expired ??= []).Add(id);
        }

        foreach (var id in expired ?? [])
        {
            // Nobody settled it: what it might have spent is charged, so the budget is never overshot.
            _holds.Remove(id, out var hold);
            _held -= hold.Amount;
            Charge(hold, hold.Amount);
        }
    }

    private static DateOnly MonthOf(DateTimeOffset now) => new(now.UtcDateTime.Year, now.UtcDateTime.Month, 1);

    private readonly record struct Hold(decimal Amount, DateOnly Day, DateOnly Month, DateTimeOffset Expires);
}
