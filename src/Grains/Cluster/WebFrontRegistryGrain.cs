using Orleans.Concurrency;
using Router.Grains.Interfaces.Cluster;

namespace Router.Grains.Cluster;

/// <summary>The web fronts' latest reports, in memory (they report again within seconds after a restart).</summary>
[Reentrant]
public sealed class WebFrontRegistryGrain(TimeProvider clock) : Grain, IWebFrontRegistryGrain
{
    // Judged by when this grain received a report rather than by the report's own time, so a web
    // front's clock skew cannot keep it listed or drop it.
    private readonly Dictionary<string, (WebFrontReport Report, DateTimeOffset Received)> _reports = new(StringComparer.Ordinal);

    public ValueTask ReportAsync(WebFrontReport report, CancellationToken cancellationToken = default)
    {
        _reports[report.Name] = (report, clock.GetUtcNow());
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<WebFrontReport>> ListAsync(CancellationToken cancellationToken = default)
    {
        var cutoff = clock.GetUtcNow() - WebFrontReport.StaleAfter;
        foreach (var stale in _reports.Where(r => r.Value.Received < cutoff).Select(r => r.Key).ToList()) _reports.Remove(stale);
        return ValueTask.FromResult<IReadOnlyList<WebFrontReport>>(_reports.Values.Select(r => r.Report).OrderBy(r => r.Name, StringComparer.Ordinal).ToList());
    }
}
