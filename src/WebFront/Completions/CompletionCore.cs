using Microsoft.Extensions.Options;
using Router.Grains.Interfaces;
using Router.WebFront.Auth;
using Router.WebFront.Cluster;
using Router.WebFront.Diagnostics;
using Router.WebFront.Lanes;
using Router.WebFront.Options;

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
    IOptions<WebFrontOptions> options,
    ILogger<CompletionCore> logger)
{
    private const int StartAttempts = 30;
    private static readonly TimeSpan LanesReadyTimeout = TimeSpan.FromSeconds(10);

    internal IClusterClient Cluster => cluster;

    internal LaneHub Lanes => lanes;

    internal SiloWatcher SiloWatcher => siloWatcher;

    internal WebFrontDrain Drain => drain;

    internal WebFrontInstruments Instruments => instruments;

    internal WebFrontOptions Options { get; } = options.Value;

    internal ILogger Logger => logger;

    internal KeyLeases Leases => leases;

    /// <summary>True while the web front stops: surfaces refuse new requests with 503.</summary>
    public bool IsDraining => drain.IsDraining;

    /// <summary>
    /// Starts a request. Null when this web front's lanes are not subscribed (the cluster has been
    /// unreachable since start): the surface answers 503 before any stream. A request the cluster
    /// could not start comes back as a flow whose <see cref="CompletionFlow.Ticket"/> has an error.
    /// A request its key's limits refuse comes back with <see cref="CompletionFlow.Refusal"/> set
    /// (and a <c>rate_limited</c> ticket error): nothing was started, the surface answers 429.
    /// </summary>
    public async Task<CompletionFlow?> StartAsync(CompletionCommand command, long started, CancellationToken aborted)
    {
        if (!await lanes.WaitReadyAsync(LanesReadyTimeout, aborted)) return null;
        var flow = new CompletionFlow(this, command, started, aborted);
        if (!await flow.AdmitAsync()) return flow;
        await flow.StartTryAsync();
        return flow;
    }

    /// <summary>Starts one try on the user's session grain; a failure to reach it becomes a ticket error.</summary>
    internal async Task<CompletionTicket> StartOnClusterAsync(CompletionCommand command, CompletionRequest request, CancellationToken aborted)
    {
        try
        {
            // A stopping silo hands the session off and answers silo_unavailable before starting
            // anything, so retrying is safe; the retry activates the session on another silo.
            // A rejected message (a silo that is stopping, for one) never reached the grain: also safe.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var ticket = await cluster.GetGrain<IUserSessionGrain>(command.UserId).StartCompletionAsync(request, aborted);
                    if (ticket.Error?.Code != ErrorCodes.SiloUnavailable || attempt >= StartAttempts) return ticket;
                }
                catch (OrleansMessageRejectionException) when (attempt < StartAttempts && !aborted.IsCancellationRequested)
                {
                }

                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(100 * attempt, 500)), aborted);
            }
        }
        catch (Exception ex) when (!aborted.IsCancellationRequested)
        {
            WebFrontLog.StartFailed(logger, ex, request.RequestId);
            return new CompletionTicket("", null, false,
                new CompletionError(ErrorCodes.SiloUnavailable, "The router could not start this request on its cluster."));
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
