using Microsoft.Extensions.Options;
using Router.Grains.Interfaces.Cluster;
using Router.WebFront.Lanes;
using Router.WebFront.RequestLog;

namespace Router.WebFront.Cluster;

/// <summary>
/// Tells the cluster about this web front every <see cref="WebFrontReport.Period"/>
/// (<see cref="IWebFrontRegistryGrain"/>), so the Cluster page lists every web front, not only the
/// one it was read from. A failed report is logged and tried again next period.
/// </summary>
public sealed partial class WebFrontReporter(
    IClusterClient cluster,
    SiloWatcher watcher,
    LaneHub lanes,
    WebFrontDrain drain,
    IOptions<RequestLogOptions> logOptions,
    TimeProvider clock,
    ILogger<WebFrontReporter> logger) : BackgroundService
{
    /// <summary>This web front's name: the request log's (<c>RequestLog:WebFrontName</c>, or host name and process id).</summary>
    public string Name { get; } = logOptions.Value.WebFrontName is { Length: > 0 } name ? name : $"{Environment.MachineName}/{Environment.ProcessId}";

    public WebFrontReport Snapshot() => new(Name, drain.IsDraining, watcher.OpenStreams, lanes.Keys.Count, clock.GetUtcNow());

    /// <summary>Reports now (the Cluster page does, so this web front's own line is fresh).</summary>
    public Task ReportAsync(CancellationToken cancellationToken) =>
        cluster.GetGrain<IWebFrontRegistryGrain>(0).ReportAsync(Snapshot(), cancellationToken).AsTask();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(WebFrontReport.Period, clock);
        do
        {
            try
            {
                await ReportAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogReportFailed(logger, ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(2551, LogLevel.Debug, "Reporting this web front to the cluster failed (tried again next period): {Reason}")]
    private static partial void LogReportFailed(ILogger logger, string reason);
}
