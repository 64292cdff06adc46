using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Router.WebFront.Cluster;

/// <summary>Unhealthy while the web front drains, so a load balancer sends new requests elsewhere.</summary>
public sealed class DrainHealthCheck(WebFrontDrain drain) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(drain.IsDraining
            ? HealthCheckResult.Unhealthy($"draining: {drain.OpenStreams} streams still open")
            : HealthCheckResult.Healthy());
}
