using Microsoft.Extensions.Options;
using Router.Grains.Interfaces.Keys;
using Router.WebFront.Completions;
using Router.WebFront.Diagnostics;

namespace Router.WebFront.Auth;

/// <summary>A request's admission under its key's limits: granted (a lease to release at its end) or refused with a problem.</summary>
public sealed record KeyAdmission(string KeyId, Guid LeaseId, LeaseDecision Decision, RequestProblem? Problem)
{
    public bool Granted => Problem is null;
}

/// <summary>Asks a key's grain for a slot when a request starts and gives it back when the request ends.</summary>
public sealed class KeyLeases(IClusterClient cluster, IOptions<AuthOptions> options, ILogger<KeyLeases> logger)
{
    public const string RateLimitedCode = "rate_limited";

    private readonly AuthOptions _options = options.Value;

    /// <summary>Reserves <paramref name="maxTokens"/> (or the configured default) and a stream slot, or says why not.</summary>
    public async Task<KeyAdmission> AcquireAsync(string keyId, int? maxTokens, CancellationToken aborted)
    {
        var leaseId = Guid.NewGuid();
        var request = new LeaseRequest(leaseId, maxTokens is > 0 ? maxTokens.Value : _options.DefaultTokenReservation, _options.StreamLeaseTimeout);
        LeaseDecision decision;
        try
        {
            decision = await cluster.GetGrain<IApiKeyGrain>(keyId).AcquireAsync(request, aborted);
        }
        catch (Exception ex) when (!aborted.IsCancellationRequested)
        {
            AuthLog.AcquireFailed(logger, ex, keyId);
            // Not admitted, and no limit state to report: a 503, not a 429.
            return new KeyAdmission(keyId, leaseId, new LeaseDecision(LeaseOutcome.Revoked), RequestProblems.ClusterUnavailable);
        }

        var problem = decision.Outcome switch
        {
            LeaseOutcome.Granted => null,
            LeaseOutcome.Revoked => RequestIdentity.InvalidKey,
            _ => RateLimited(keyId, decision),
        };
        return new KeyAdmission(keyId, leaseId, decision, problem);
    }

    /// <summary>Ends a granted lease with the tokens the request used (null keeps the reservation). Never throws.</summary>
    public async Task ReleaseAsync(KeyAdmission admission, long? tokens)
    {
        if (!admission.Granted) return;
        try
        {
            // Not the request's token: a client that went away must still give its slot back.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await cluster.GetGrain<IApiKeyGrain>(admission.KeyId).ReleaseAsync(new LeaseRelease(admission.LeaseId, tokens), timeout.Token);
        }
        catch (Exception ex)
        {
            AuthLog.ReleaseFailed(logger, ex, admission.KeyId);
        }
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
