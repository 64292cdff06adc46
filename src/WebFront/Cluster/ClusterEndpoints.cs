using Router.Grains.Interfaces.Cluster;
using Router.WebFront.Auth;
using Router.WebFront.Completions;
using Router.WebFront.Lanes;

namespace Router.WebFront.Cluster;

/// <summary>
/// <c>GET /admin/cluster</c> (admin key): the silos as membership sees them, each with what it runs
/// now (generations, its Ollama replicas, classifier tiers), the web fronts that reported lately,
/// this web front's streams and lanes, and the served models; what the console's Cluster page shows.
/// Read-only: it asks each silo's <see cref="ISiloStatusGrain"/> and the web-front registry.
/// </summary>
public static class ClusterEndpoints
{
    /// <summary>A silo that does not answer this fast is shown without its figures rather than holding the page.</summary>
    private static readonly TimeSpan SiloAnswer = TimeSpan.FromSeconds(3);

    public static IEndpointRouteBuilder MapClusterApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/admin/cluster", GetAsync).AddEndpointFilter<AdminKeyFilter>().WithName("Cluster")
            .WithSummary("The silos with their status, generations, Ollama replicas and classifier tiers; the web fronts; the served models.");
        return app;
    }

    private static async Task<IResult> GetAsync(IClusterClient cluster, SiloWatcher watcher, LaneHub lanes, WebFrontReporter reporter, ServedModels models, HttpContext context)
    {
        var aborted = context.RequestAborted;
        var hosts = await cluster.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: false).WaitAsync(aborted);
        var silos = await Task.WhenAll(hosts.OrderBy(h => h.SiloName, StringComparer.Ordinal).Select(async h =>
        {
            var (status, error) = h.Status == SiloStatus.Active ? await StatusOfAsync(cluster, h.SiloAddress, aborted) : (null, null);
            return new
            {
                name = h.SiloName,
                address = h.SiloAddress.ToString(),
                host = h.HostName,
                status = h.Status.ToString(),
                started_at = h.StartTime,
                last_alive_at = h.IAmAliveTime,
                running_generations = status?.RunningGenerations,
                replicas = status?.Replicas.Select(r => new { endpoint = r.Endpoint, healthy = r.Healthy, in_flight = r.InFlight }),
                classifier_tiers = status?.ClassifierTiers,
                status_error = error,
            };
        }));

        IReadOnlyList<WebFrontReport> fronts;
        try
        {
            await reporter.ReportAsync(aborted);
            fronts = await cluster.GetGrain<IWebFrontRegistryGrain>(0).ListAsync(aborted);
        }
        catch (Exception) when (!aborted.IsCancellationRequested)
        {
            // The registry is unreachable: this web front still knows itself.
            fronts = [reporter.Snapshot()];
        }

        return TypedResults.Json(new
        {
            web_front = new { name = reporter.Name, open_streams = watcher.OpenStreams, lanes = lanes.Keys, open_inboxes = lanes.OpenInboxes },
            web_fronts = fronts.Select(f => new { name = f.Name, draining = f.Draining, open_streams = f.OpenStreams, lanes = f.Lanes, reported_at = f.ReportedAt, self = f.Name == reporter.Name }),
            silos,
            models = models.Models.Select(m => m.Name),
        });
    }

    private static async Task<(SiloReport? Status, string? Error)> StatusOfAsync(IClusterClient cluster, SiloAddress silo, CancellationToken aborted)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        timeout.CancelAfter(SiloAnswer);
        try
        {
            return (await cluster.GetGrain<ISiloStatusGrain>(silo.ToParsableString()).GetAsync(timeout.Token), null);
        }
        catch (Exception ex) when (!aborted.IsCancellationRequested)
        {
            return (null, ex is OperationCanceledException or TimeoutException ? "did not answer in time" : "could not be asked");
        }
    }
}
