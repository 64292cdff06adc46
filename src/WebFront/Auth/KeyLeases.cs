using Microsoft.Extensions.Options;
using Router.Grains.Interfaces.Keys;
using Router.WebFront.Completions;
using Router.WebFront.Diagnostics;
using Router.WebFront.Spend;

namespace Router.WebFront.Auth;

/// <summary>A request's admission under its key's limits: granted (a lease to settle at its end) or refused with a problem.</summary>
/// <param name="PromptTokens">The prompt estimate the reservation holds.</param>
/// <param name="Reserved">The tokens the lease reserved: the prompt estimate and the output cap.</param>
public sealed record KeyAdmission(string KeyId, Guid LeaseId, LeaseDecision Decision, RequestProblem? Problem, long PromptTokens = 0, long Reserved = 0)
{
    public bool Granted => Problem is null;

    /// <summary>The output cap the reservation leaves (what the backend is allowed to write), at least 1.</summary>
    public int OutputCap => (int)Math.Clamp(Reserved - PromptTokens, 1, int.MaxValue);

    /// <summary>The lease as it travels with the request to its generation.</summary>
    public KeyLease Lease => new(KeyId, LeaseId);
}

/// <summary>
/// A key's leases as the web front sees them. <see cref="AcquireAsync"/> reserves an estimate of the
/// prompt plus the output cap and a stream slot; the lease then travels with the request
/// (<see cref="KeyAdmission.Lease"/>) and the generation's owner settles it with the real counts when
/// the generation ends, however it ends. The web front settles it itself (<see cref="ReleaseAsync"/>)
/// only when no generation took it: a refused start, a client gone before the start. The spend the
/// lease holds against the key's budgets is settled apart (<see cref="SettleSpendAsync"/>) by the web
/// front that records the request's row, with that row's cost.
/// </summary>
public sealed class KeyLeases(IClusterClient cluster, PriceList prices, IOptions<AuthOptions> options, ILogger<KeyLeases> logger)
{
    public const string RateLimitedCode = "rate_limited";

    /// <summary>The code of a request refused because a spend budget of its key is used up.</summary>
    public const string BudgetExceededCode = "budget_exceeded";

    /// <summary>The code of a request that alone needs more tokens than its key allows at all.</summary>
    public const string TooLargeCode = "request_too_large";

    /// <summary>How long an admission may take; not the client's token: a slot granted to a client that left must still be given back.</summary>
    private static readonly TimeSpan AcquireTimeout = TimeSpan.FromSeconds(10);

    private readonly AuthOptions _options = options.Value;

    /// <summary>The output cap reserved when the client set none.</summary>
    public int DefaultOutputCap => _options.DefaultTokenReservation;

    /// <summary>
    /// Reserves <paramref name="promptTokens"/> plus <paramref name="outputCap"/> (or the configured
    /// default) and a stream slot, or says why not. The grain may cut the output cap to fit a token
    /// limit or what a spend budget's remainder pays for on <paramref name="model"/> (null: the model
    /// is chosen later, the dearest price counts) (<see cref="KeyAdmission.OutputCap"/>); a prompt
    /// beyond a limit is refused outright.
    /// </summary>
    public async Task<KeyAdmission> AcquireAsync(string keyId, long promptTokens, int? outputCap, string? model = null)
    {
        var leaseId = Guid.NewGuid();
        var output = outputCap is > 0 ? outputCap.Value : _options.DefaultTokenReservation;
        var (promptCost, outputTokenCost) = prices.Reservation(model, promptTokens);
        var request = new LeaseRequest(leaseId, promptTokens + output, _options.StreamLeaseTimeout, promptTokens + 1, promptCost, outputTokenCost);
        LeaseDecision decision;
        try
        {
            using var timeout = new CancellationTokenSource(AcquireTimeout);
            decision = await cluster.GetGrain<IApiKeyGrain>(keyId).AcquireAsync(request, timeout.Token);
        }
        catch (Exception ex)
        {
            AuthLog.AcquireFailed(logger, ex, keyId);
            // Not admitted, and no limit state to report: a 503, not a 429.
            return new KeyAdmission(keyId, leaseId, new LeaseDecision(LeaseOutcome.Revoked), RequestProblems.ClusterUnavailable);
        }

        var problem = decision.Outcome switch
        {
            LeaseOutcome.Granted => null,
            LeaseOutcome.Revoked => RequestIdentity.InvalidKey,
            _ when decision.Exceeded == "tokens_request" => TooLarge(keyId, decision, request.MinTokens),
            _ when decision.Exceeded is "spend_day" or "spend_month" => BudgetExceeded(keyId, decision),
            _ => RateLimited(keyId, decision),
        };
        // A key grain of an earlier version grants without saying what it reserved: the request's own.
        return new KeyAdmission(keyId, leaseId, decision, problem, promptTokens, decision.Reserved > 0 ? decision.Reserved : request.Tokens);
    }

    /// <summary>
    /// Ends a granted lease with the tokens the request used (null keeps the reservation) and, when
    /// <paramref name="cost"/> is given, settles its spend with it. Never throws.
    /// </summary>
    public async Task ReleaseAsync(KeyAdmission admission, long? tokens, decimal? cost = null)
    {
        if (!admission.Granted) return;
        try
        {
            // Not the request's token: a client that went away must still give its slot back.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await cluster.GetGrain<IApiKeyGrain>(admission.KeyId).ReleaseAsync(new LeaseRelease(admission.LeaseId, tokens, cost), timeout.Token);
        }
        catch (Exception ex)
        {
            AuthLog.ReleaseFailed(logger, ex, admission.KeyId);
        }
    }

    /// <summary>
    /// Settles the spend of <paramref name="lease"/> with the request's cost. False when the key's
    /// grain says it was settled already (a second reader of one answer): that reader bills nothing.
    /// True when it settled it, and when the grain could not be reached (the row keeps its cost;
    /// the hold is then charged in full when it expires). Never throws.
    /// </summary>
    public async Task<bool> SettleSpendAsync(KeyLease lease, decimal cost)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            return await cluster.GetGrain<IApiKeyGrain>(lease.KeyId).SettleSpendAsync(new SpendSettlement(lease.LeaseId, cost), timeout.Token);
        }
        catch (Exception ex)
        {
            AuthLog.ReleaseFailed(logger, ex, lease.KeyId);
            return true;
        }
    }

    private RequestProblem TooLarge(string keyId, LeaseDecision decision, long needed)
    {
        AuthLog.RateLimited(logger, keyId, "tokens_request", 0);
        var limit = decision.Tokens is { } perMinute && needed > perMinute.Limit ? $"{perMinute.Limit} tokens per minute" : $"{decision.TokensDay?.Limit} tokens per day";
        return new RequestProblem(StatusCodes.Status429TooManyRequests, TooLargeCode, "Request too large",
            $"This request needs about {needed} tokens (its prompt and at least one output token); this API key allows {limit}. Shorten the prompt.");
    }

    private RequestProblem BudgetExceeded(string keyId, LeaseDecision decision)
    {
        var seconds = RateLimitHeaders.RetryAfterSeconds(decision);
        AuthLog.RateLimited(logger, keyId, decision.Exceeded!, seconds);
        var (budget, period, next) = decision.Exceeded == "spend_month"
            ? (decision.SpendMonth?.Limit, "month", "the next UTC month")
            : (decision.SpendDay?.Limit, "day", "the next UTC day");
        return new RequestProblem(StatusCodes.Status429TooManyRequests, BudgetExceededCode, "Budget exceeded",
            $"This API key has spent its budget of {budget?.ToString(System.Globalization.CultureInfo.InvariantCulture)} {prices.Currency} per {period} " +
            $"(with what its running requests hold); retry after {seconds} s, at the start of {next}.");
    }

    private RequestProblem RateLimited(string keyId, LeaseDecision decision)
    {
        var seconds = RateLimitHeaders.RetryAfterSeconds(decision);
        AuthLog.RateLimited(logger, keyId, decision.Exceeded ?? "?", seconds);
        var what = decision.Exceeded switch
        {
            "requests" => $"requests per minute ({decision.Requests?.Limit})",
            "tokens" => $"tokens per minute ({decision.Tokens?.Limit})",
            "tokens_day" => $"tokens per day ({decision.TokensDay?.Limit})",
            _ => $"concurrent streams ({decision.Streams?.Limit})",
        };
        return new RequestProblem(StatusCodes.Status429TooManyRequests, RateLimitedCode, "Too many requests",
            $"This API key reached its limit of {what}; retry after {seconds} s.");
    }
}
