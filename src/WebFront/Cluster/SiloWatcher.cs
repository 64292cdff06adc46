using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using Router.Grains.Interfaces;
using Router.WebFront.Options;

namespace Router.WebFront.Cluster;

/// <summary>
/// Watches cluster membership from the web front and ends the streams a lost silo can no longer
/// finish. A web front with a co-hosted silo follows the silo's own membership updates (pushed, no
/// polling); a client of the cluster polls <see cref="IManagementGrain.GetHosts(bool)"/> (a stateless
/// worker on the gateway silo that reads the membership table) every
/// <see cref="WebFrontOptions.SiloWatchPeriod"/>. A silo is
/// lost once membership calls it dead or forgets it; a silo that is shutting down still finishes its
/// streams. When a silo is lost:
/// <list type="bullet">
/// <item>every stream whose generation ran there ends at once with <c>silo_unavailable</c>;</item>
/// <item>every other open stream that then receives nothing for <see cref="WebFrontOptions.SiloLossGrace"/>
/// ends the same way: its stream queue or pulling agent may have lived on the lost silo.</item>
/// </list>
/// The bound for a stream hit by a killed silo is therefore membership's detection time plus one
/// poll period (plus the grace when only its queue was there).
/// </summary>
public sealed partial class SiloWatcher(
    IClusterClient cluster,
    IServiceProvider services,
    IOptions<WebFrontOptions> options,
    ILogger<SiloWatcher> logger) : BackgroundService
{
    private static readonly CompletionError LostError = new(ErrorCodes.SiloUnavailable,
        "The router node serving this answer was lost; please retry.");

    private readonly WebFrontOptions _options = options.Value;
    private readonly ConcurrentDictionary<StreamGuard, byte> _guards = new();
    private readonly ConcurrentDictionary<SiloAddress, byte> _lost = new();
    private HashSet<SiloAddress>? _known;
    private long _lastLossTimestamp;

    /// <summary>Watches a stream whose generation runs on <paramref name="silo"/>.</summary>
    public void Watch(StreamGuard guard, SiloAddress? silo)
    {
        guard.Silo = silo;
        guard.WatchedSince = Stopwatch.GetTimestamp();
        _guards[guard] = 0;
        if (silo is not null && _lost.ContainsKey(silo))
        {
            guard.End(LostError);
        }
    }

    /// <summary>True once membership declared <paramref name="silo"/> dead (or forgot it).</summary>
    public bool IsLost(SiloAddress silo) => _lost.ContainsKey(silo);

    /// <summary>The silos not known to be dead, as last seen; null before the first look at membership.</summary>
    public IReadOnlyCollection<SiloAddress>? ActiveSilos => Volatile.Read(ref _known);

    /// <summary>The answers this web front is streaming now.</summary>
    public int OpenStreams => _guards.Count;

    /// <summary>Stops watching a stream (it ended).</summary>
    public void Forget(StreamGuard guard) => _guards.TryRemove(guard, out _);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var membership = services.GetService<IClusterMembershipService>();
        var pushed = membership is null ? Task.CompletedTask : FollowAsync(membership, stoppingToken);
        using var timer = new PeriodicTimer(_options.SiloWatchPeriod);
        do
        {
            if (membership is null)
            {
                try
                {
                    Apply(await cluster.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: false)
                        .WaitAsync(_options.SiloWatchPeriod * 3, stoppingToken));
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // The gateway we asked may be the one that died; the next poll goes elsewhere.
                    PollFailed(logger, ex);
                }
            }

            EndQuietStreams();
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        await pushed;
    }

    /// <summary>The co-hosted silo's membership view, applied as it changes.</summary>
    private async Task FollowAsync(IClusterMembershipService membership, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                Apply(snapshot.Members.ToDictionary(m => m.Key, m => m.Value.Status));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Apply(Dictionary<SiloAddress, SiloStatus> hosts)
    {
        var first = _known is null;
        foreach (var (silo, status) in hosts)
        {
            if (status == SiloStatus.Dead) MarkLost(silo, announce: !first);
        }

        // A dead silo's entry may also be removed from the table: gone counts as dead.
        foreach (var silo in _known ?? [])
        {
            if (!hosts.ContainsKey(silo)) MarkLost(silo, announce: true);
        }

        Volatile.Write(ref _known, hosts.Where(h => h.Value != SiloStatus.Dead).Select(h => h.Key).ToHashSet());
    }

    private void MarkLost(SiloAddress silo, bool announce)
    {
        if (!_lost.TryAdd(silo, 0)) return;
        if (!announce) return; // dead before this web front started: nothing of ours ran there
        Interlocked.Exchange(ref _lastLossTimestamp, Stopwatch.GetTimestamp());
        var ended = 0;
        foreach (var guard in _guards.Keys)
        {
            if (silo.Equals(guard.Silo) && guard.End(LostError)) ended++;
        }

        SiloLost(logger, silo.ToString(), ended);
        Lost?.Invoke();
    }

    /// <summary>Raised when a silo leaves the cluster (things it held, such as lane subscriptions, may be gone).</summary>
    public event Action? Lost;

    /// <summary>After a loss, streams that stay silent past the grace lost their queue or agent with it.</summary>
    private void EndQuietStreams()
    {
        var lossAt = Interlocked.Read(ref _lastLossTimestamp);
        if (lossAt == 0 || Stopwatch.GetElapsedTime(lossAt) < _options.SiloLossGrace) return;
        var ended = 0;
        foreach (var guard in _guards.Keys)
        {
            // Only streams open at the loss, and silent ever since.
            if (guard.WatchedSince < lossAt && guard.LastItem < lossAt && guard.End(LostError)) ended++;
        }

        if (ended > 0) QuietStreamsEnded(logger, ended, _options.SiloLossGrace.TotalSeconds);
    }

    [LoggerMessage(2101, LogLevel.Warning, "Silo {Silo} left the cluster; {Streams} streams it was running were ended")]
    private static partial void SiloLost(ILogger logger, string silo, int streams);

    [LoggerMessage(2102, LogLevel.Warning, "{Streams} streams received nothing for {GraceSeconds} s after a silo was lost and were ended")]
    private static partial void QuietStreamsEnded(ILogger logger, int streams, double graceSeconds);

    [LoggerMessage(2103, LogLevel.Debug, "Membership poll failed")]
    private static partial void PollFailed(ILogger logger, Exception exception);
}
