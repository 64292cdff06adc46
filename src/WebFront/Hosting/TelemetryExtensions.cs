using OpenTelemetry.Metrics;

namespace Router.WebFront.Hosting;

/// <summary>
/// Metrics of the web front (registered by <c>AddRouterDefaults</c>) are also scraped at
/// <c>/metrics</c> on the management endpoint (<see cref="ManagementServer"/>), never on the public port.
/// </summary>
public static class TelemetryExtensions
{
    public static IServiceCollection AddRouterMetricsEndpoint(this IServiceCollection services)
    {
        services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddPrometheusExporter());
        services.AddSingleton<ManagementServer>();
        services.AddHostedService(sp => sp.GetRequiredService<ManagementServer>());
        return services;
    }
}
