using OpenTelemetry.Metrics;
using Router.WebFront.Diagnostics;

namespace Router.WebFront.Hosting;

/// <summary>
/// Metrics export: the router's own meters, Orleans', ASP.NET Core's and the runtime's, scraped at
/// <c>/metrics</c> on the management endpoint (<see cref="ManagementServer"/>), never on the public port.
/// </summary>
public static class TelemetryExtensions
{
    /// <summary>Meters exported besides the framework's own.</summary>
    private static readonly string[] Meters = [WebFrontInstruments.MeterName, "Router.Classifier", "Microsoft.Orleans"];

    public static IServiceCollection AddRouterTelemetry(this IServiceCollection services)
    {
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(Meters)
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter());
        services.AddSingleton<ManagementServer>();
        services.AddHostedService(sp => sp.GetRequiredService<ManagementServer>());
        return services;
    }
}
