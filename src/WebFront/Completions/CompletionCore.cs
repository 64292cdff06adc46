using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Router.Grains.Interfaces;
using Router.WebFront.Auth;
using Router.WebFront.Cluster;
using Router.WebFront.Diagnostics;
using Router.WebFront.Lanes;
using Router.WebFront.Options;
using Router.WebFront.Spend;

namespace Router.WebFront.Completions;

/// <summary>
/// The routing core every surface stands on: starts a request on the user's session grain with
/// the answer coming back on one of this web front's lanes, and hands the surface a
/// <see cref="CompletionFlow"/> to read. Surfaces only read requests and encode events.
/// </summary>
public sealed class CompletionCore(
    IClusterClient cluster,
    LaneHub lanes,
    SiloWatcher siloWatcher,
    WebFrontDrain drain,
    WebFrontInstruments instruments,
    KeyLeases leases,
    RequestAccounting accounting,
    IOptions<WebFrontOptions> options,
    ILogger<CompletionCore> logger)
{
    private const int StartAttempts = 30;
    private static readonly TimeSpan LanesReadyTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ResumeTimeout = TimeSpan.FromSeconds(5);

    internal IClusterClient Cluster => cluster;

    internal LaneHub Lanes => lanes;

    internal SiloWatcher SiloWatcher => siloWatcher;

    internal WebFrontDrain Drain => drain;

    internal WebFrontInstruments Instruments => instruments;

    internal WebFrontOptions Options { get; } = options.Value;

    internal ILogger Logger => logger;

    internal KeyLeases Leases => leases;

    /// <summary>Bills and records each request's end.</summary>
    internal RequestAccounting Accounting => accounting;

    /// <summary>True while the web front stops: surfaces refuse new requests with 503.</summary>
    public bool IsDraining => drain.IsDraining;

    /// <summary>
    /// Starts a request. Null when this web front's lanes are not subscribed (the cluster has been
    /// unreachable since start): the surface answers 503 before any stream. A request the cluster
    /// could not start comes back as a flow whose <see cref="CompletionFlow.Ticket"/> has an error.
    /// A request its key's limits refuse comes back with <see cref="CompletionFlow.Refusal"/> set
    /// (and a <c>rate_limited</c> ticket error): nothing was started, the surface answers 429.
    /// </summary>
    /// <remarks>
    /// A client that leaves while its request is admitted or started does not cut either short: the
    /// admission and the start run to their end (each bounded by its own timeout), so the flow knows
    /// what it holds and its disposal gives everything back: the lease, the inbox, the generation.
    /// </remarks>
    public async Task<CompletionFlow?> StartAsync(CompletionCommand command, long started, CancellationToken aborted)
    {
        if (command.Settings?.MaxTokens is < 1)
        {
            return CompletionFlow.Refused(this, command, started, aborted, RequestProblems.Invalid("invalid_max_tokens",
                $"max_tokens must be at least 1 (it was {command.Settings.MaxTokens})."));
        }

        if (!await lanes.WaitReadyAsync(LanesReadyTimeout, aborted)) return null;
        var flow = new CompletionFlow(this, command, started, aborted);
        if (!await flow.AdmitAsync()) return flow;
        if (aborted.IsCancellationRequested)
        {
            flow.Abandon();
            return flow;
        }

        await flow.StartTryAsync();
        return flow;
    }

    /// <summary>
    /// Retries of a start that certainly started nothing: a stopping silo hands the session off and
    /// answers <c>silo_unavailable</c> before starting anything; a rejected message (a silo that is
    /// stopping, for one) never reached the grain; a call to a silo that died before it was declared
    /// dead fails with <see cref="SiloUnavailableException"/> once membership knows, and the retry
    /// activates the session on a live silo. Linear pauses, 100 ms up to 500 ms.
    /// </summary>
    private static readonly ResiliencePipeline<CompletionTicket> StartRetries = new ResiliencePipelineBuilder<CompletionTicket>()
        .AddRetry(new RetryStrategyOptions<CompletionTicket>
        {
            ShouldHandle = new PredicateBuilder<CompletionTicket>()
                .Handle<OrleansMessageRejectionException>()
                .Handle<SiloUnavailableException>()
                .HandleResult(ticket => ticket.Error?.Code == ErrorCodes.SiloUnavailable),
            MaxRetryAttempts = StartAttempts - 1,
            BackoffType = DelayBackoffType.Linear,
            Delay = TimeSpan.FromMilliseconds(100),
            MaxDelay = TimeSpan.FromMilliseconds(500),
            UseJitter = false,
        })
        .Build();

    /// <summary>The ticket of a start that got no answer within <see cref="WebFrontOptions.StartTimeout"/>.</summary>
    internal static readonly CompletionTicket StartTimedOut = new("", null, false,
        new CompletionError(ErrorCodes.SiloUnavailable, "The router's cluster did not answer in time; please retry."));

    /// <summary>Starts one try on the user's session grain; a failure to reach it becomes a ticket error.</summary>
    /// <remarks>
    /// Not cancelled by the client: a start cut short would leave unknown whether a generation began
    /// (and took the request's lease); run to its end, the flow knows, and stops it if the client left.
    /// </remarks>
    internal async Task<CompletionTicket> StartOnClusterAsync(CompletionCommand command, CompletionRequest request)
    {
        using var attempt = new CancellationTokenSource(Options.StartTimeout);
        try
        {
            var session = cluster.GetGrain<IUserSessionGrain>(command.UserId);
            return await StartRetries.ExecuteAsync(
                static async (state, token) => await state.session.StartCompletionAsync(state.request, token),
                (session, request), attempt.Token);
        }
        catch (Exception ex) when (attempt.IsCancellationRequested)
        {
            WebFrontLog.StartFailed(logger, ex, request.RequestId);
            return StartTimedOut;
        }
        catch (Exception ex)
        {
            WebFrontLog.StartFailed(logger, ex, request.RequestId);
            return new CompletionTicket("", null, false,
                new CompletionError(ErrorCodes.SiloUnavailable, "The router could not start this request on its cluster."));
        }
    }

    /// <summary>
    /// Starts a flow that resumes <paramref name="requestId"/> after <paramref name="afterSequence"/>.
    /// Null when the answer cannot be resumed for this user (unknown, another user's, expired, its
    /// owner gone) or the lanes are not ready: the surface answers 404 or 503.
    /// </summary>
    public async Task<(CompletionFlow? Flow, bool LanesReady)> ResumeAsync(
        string userId, Guid requestId, int afterSequence, long started, CancellationToken aborted)
    {
        if (!await lanes.WaitReadyAsync(LanesReadyTimeout, aborted)) return (null, false);
        var flow = new CompletionFlow(this, new CompletionCommand(userId, "", Resumable: true), started, aborted);
        return (await flow.ResumeAsync(requestId, afterSequence) ? flow : null, true);
    }

    /// <summary>
    /// Asks the owner grain of every active silo to resume the answer (one at most has it): a web
    /// front that did not start the request does not know its owner, and no per-request state is
    /// kept in the cluster to tell it. Resumes are rare, so a fan-out to a few silos is cheap.
    /// </summary>
    internal async Task<(SiloAddress Silo, ResumeTicket Ticket)?> FindAndResumeAsync(ResumeRequest request, CancellationToken aborted)
    {
        IEnumerable<SiloAddress> silos;
        try
        {
            silos = siloWatcher.ActiveSilos
                ?? (await cluster.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(aborted)).Keys;
        }
        catch (Exception ex) when (!aborted.IsCancellationRequested)
        {
            WebFrontLog.CleanupFailed(logger, ex, request.RequestId);
            return null;
        }

        var answers = await Task.WhenAll(silos.Select(async silo => await ResumeAtAsync(silo, request) is { } ticket ? (silo, ticket) : default((SiloAddress, ResumeTicket)?)));
        return answers.FirstOrDefault(a => a is not null);
    }

    /// <summary>Asks one silo's owner grain to resume the answer; null when it does not have it or cannot be reached.</summary>
    internal async Task<ResumeTicket?> ResumeAtAsync(SiloAddress silo, ResumeRequest request)
    {
        try
        {
            // Bounded well below Orleans' response timeout: a silo that does not answer soon is as good as gone here.
            using var timeout = new CancellationTokenSource(ResumeTimeout);
            return await cluster.GetGrain<IGenerationOwnerGrain>(silo.ToParsableString()).ResumeAsync(request, timeout.Token);
        }
        catch (Exception ex)
        {
            // A dead or departing silo: there is nothing to resume there.
            WebFrontLog.CleanupFailed(logger, ex, request.RequestId);
            return null;
        }
    }

    /// <summary>
    /// Forbids <paramref name="requestId"/> on every active silo (see <see cref="IGenerationOwnerGrain.ForbidAsync"/>):
    /// a start whose answer was lost cannot begin a generation later. True when one was running: it
    /// settles its lease itself.
    /// </summary>
    internal async Task<bool> ForbidEverywhereAsync(Guid requestId)
    {
        try
        {
            var silos = siloWatcher.ActiveSilos ?? (await cluster.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Keys;
            var answers = await Task.WhenAll(silos.Select(async silo =>
            {
                try
                {
                    using var timeout = new CancellationTokenSource(ResumeTimeout);
                    return await cluster.GetGrain<IGenerationOwnerGrain>(silo.ToParsableString()).ForbidAsync(requestId, timeout.Token);
                }
                catch (Exception ex)
                {
                    // A silo that cannot be reached runs nothing this web front will hear of.
                    WebFrontLog.CleanupFailed(logger, ex, requestId);
                    return false;
                }
            }));
            return answers.Any(running => running);
        }
        catch (Exception ex)
        {
            WebFrontLog.CleanupFailed(logger, ex, requestId);
            return false;
        }
    }

    /// <summary>An estimate of the tokens the user's session turns add to a <c>/complete</c> prompt; 0 when the session cannot say.</summary>
    internal async Task<int> EstimateHistoryTokensAsync(string userId)
    {
        try
        {
            using var timeout = new CancellationTokenSource(Options.StartTimeout);
            return await cluster.GetGrain<IUserSessionGrain>(userId).EstimateHistoryTokensAsync(timeout.Token);
        }
        catch (Exception ex)
        {
            // The start that follows meets the same trouble and reports it; the prompt alone is reserved.
            WebFrontLog.CleanupFailed(logger, ex, Guid.Empty);
            return 0;
        }
    }

    /// <summary>The client of a resumable answer left: its generation goes on for the grace, for a resume.</summary>
    internal async Task DetachGenerationAsync(Guid requestId, SiloAddress? silo, string laneKey)
    {
        if (silo is null) return;
        try
        {
            await cluster.GetGrain<IGenerationOwnerGrain>(silo.ToParsableString()).DetachAsync(requestId, laneKey, Options.ResumeGrace);
        }
        catch (Exception ex)
        {
            WebFrontLog.CleanupFailed(logger, ex, requestId);
        }
    }

    /// <summary>Stops a generation at the silo that owns it, wherever the user's session is now.</summary>
    internal async Task CancelGenerationAsync(Guid requestId, SiloAddress? silo)
    {
        if (silo is null) return;
        try
        {
            await cluster.GetGrain<IGenerationOwnerGrain>(silo.ToParsableString()).CancelAsync(requestId);
        }
        catch (Exception ex)
        {
            WebFrontLog.CleanupFailed(logger, ex, requestId);
        }
    }
}
