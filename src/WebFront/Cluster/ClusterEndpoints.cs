using Router.WebFront.Auth;
using Router.WebFront.Completions;

namespace Router.WebFront.Cluster;

/// <summary>
/// <c>GET /admin/cluster</c> (admin key): the silos as membership sees them, this web front's open
/// streams and the models it serves; what the console's Cluster page shows.
/// </summary>
public static class ClusterEndpoints
{
    public static IEndpointRouteBuilder MapClusterApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/admin/cluster", GetAsync).AddEndpointFilter<AdminKeyFilter>().WithName("Cluster")
            .WithSummary("The silos with their status, this web front's open streams and served models.");
        return app;
    }

    private static async Task<IResult> GetAsync(IClusterClient cluster, SiloWatcher watcher, ServedModels models, HttpContext context)
    {
        var hosts = await cluster.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: false).WaitAsync(context.RequestAborted);
        return TypedResults.Json(new
        {
            web_front = new { name = Environment.MachineName, open_streams = watcher.OpenStreams },
            silos = hosts.OrderBy(h => h.SiloName, StringComparer.Ordinal).Select(h => new
            {
                name = h.SiloName,
                address = h.SiloAddress.ToString(),
                host = h.HostName,
                status = h.Status.ToString(),
                started_at = h.StartTime,
                last_alive_at = h.IAmAliveTime,
            }),
            models = models.Models.Select(m => m.Name),
        });
    }
}
