using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Router.Hosting;

/// <summary>
/// The defaults every router host starts with, silo or web front: Serilog, OpenTelemetry metrics
/// and traces, and health checks. Hosts add their own endpoints and exporters on top.
/// </summary>
public static class RouterDefaultsExtensions
{
    /// <summary>The health endpoint a load balancer polls: 200 "Healthy" unless a check fails (a web front draining, for instance).</summary>
    public const string HealthPath = "/health";

    /// <summary>Meters exported: the router's own (<c>Router</c>, <c>Router.*</c>) and Orleans'.</summary>
    public static readonly string[] Meters = ["Router", "Router.*", "Microsoft.Orleans", "Microsoft.Orleans.*"];

    public static IHostApplicationBuilder AddRouterDefaults(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRouterLogging(builder.Configuration);
        builder.AddRouterTelemetry();
        builder.Services.AddHealthChecks();
        return builder;
    }

    /// <summary>
    /// Metrics of the router, Orleans, ASP.NET Core, outgoing HTTP and the runtime, exported over OTLP
    /// when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the standard <c>OTEL_*</c> variables configure
    /// it); a web front also serves them to a Prometheus scraper. Traces (<see cref="RouterTracing"/>)
    /// only when they are exported, over OTLP or to the console.
    /// </summary>
    public static IHostApplicationBuilder AddRouterTelemetry(this IHostApplicationBuilder builder)
    {
        var otlp = RouterTracing.ExportsToOtlp(builder.Configuration);
        var console = RouterTracing.PrintsToConsole(builder.Configuration);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName))
            .WithMetrics(metrics => metrics
                .AddMeter(Meters)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation());
        if (otlp || console)
        {
            telemetry.WithTracing(tracing =>
            {
                tracing.AddRouterInstrumentation()
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => context.Request.Path != HealthPath);
                if (console) tracing.AddConsoleExporter();
            });
        }

        if (otlp)
        {
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>Maps <see cref="HealthPath"/>.</summary>
    public static IEndpointRouteBuilder MapRouterDefaultEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(HealthPath);
        return endpoints;
    }
}
