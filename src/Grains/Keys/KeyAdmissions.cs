using Router.Grains.Interfaces.Keys;

namespace Router.Grains.Keys;

/// <summary>
/// A key's admission: its spend budgets first (they decide how many output tokens the request can
/// pay for), then its rate and token limits on the request as the budgets cut it, then the spend the
/// granted reservation holds. Applied inside the key's grain, one request at a time.
/// </summary>
internal static class KeyAdmissions
{
    public static LeaseDecision Decide(KeyCounters counters, KeySpend spend, KeyLimits limits, LeaseRequest request, DateTimeOffset now)
    {
        // The prompt is what the least reservation holds besides its one output token.
        var prompt = Math.Max(0, request.MinTokens - 1);
        LeaseDecision decision;
        var (exceeded, retryAfter, maxOutput) = spend.IsHeld(request.LeaseId) ? (null, TimeSpan.Zero, long.MaxValue) : spend.Check(limits, request, now);
        if (exceeded is not null)
        {
            decision = counters.Refused(limits, now, exceeded, retryAfter);
        }
        else
        {
            // The output cap the backend gets is the smaller of the client's and what the budget's remainder pays for.
            var capped = maxOutput == long.MaxValue ? request : request with { Tokens = Math.Min(request.Tokens, prompt + maxOutput) };
            decision = counters.TryAcquire(limits, capped, now);
            if (decision.Outcome == LeaseOutcome.Granted)
            {
                var output = Math.Max(0, decision.Reserved - prompt);
                var held = spend.Reserve(request.LeaseId, request.PromptCost + output * request.OutputTokenCost, now + request.MaxDuration);
                decision = decision with { ReservedSpend = held };
            }
        }

        var (day, month) = spend.Status(limits, now);
        return decision with { SpendDay = day, SpendMonth = month };
    }
}
