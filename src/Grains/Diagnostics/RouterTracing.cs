using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Router.Grains.Diagnostics;

/// <summary>
/// Trace export of a router process (web front or silo). Spans are made only when they go somewhere:
/// to an OTLP collector when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the exporter reads the
/// standard <c>OTEL_EXPORTER_OTLP_*</c> variables itself), and to standard output when
/// <c>Tracing:Console</c> is <c>true</c>. Without either, tracing costs nothing.
/// </summary>
public static class RouterTracing
{
    /// <summary>The setting that prints finished spans to standard output.</summary>
    public const string ConsoleSetting = "Tracing:Console";

    /// <summary>The standard variable naming the OTLP collector.</summary>
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <param name="serviceName">How the process is named in traces (<c>service.name</c>).</param>
    /// <param name="configure">The host's own instrumentation (ASP.NET Core's on a web front).</param>
    public static IServiceCollection AddRouterTracing(
        this IServiceCollection services, IConfiguration configuration, string serviceName, Action<TracerProviderBuilder>? configure = null)
    {
        var otlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointSetting]);
        var console = configuration.GetValue<bool>(ConsoleSetting);
        if (!otlp && !console) return services;

        services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService(serviceName)).WithTracing(tracing =>
        {
            tracing.AddRouterInstrumentation();
            configure?.Invoke(tracing);
            if (otlp) tracing.AddOtlpExporter();
            if (console) tracing.AddConsoleExporter();
        });
        return services;
    }

    /// <summary>
    /// What a request's trace is made of on any router process: the router's own sources, Orleans'
    /// calls of application grains (both sides; <c>AddActivityPropagation</c> carries the context
    /// between them) and outgoing HTTP, the backend and classifier calls among it.
    /// </summary>
    /// <remarks>
    /// Orleans' runtime source (<c>Microsoft.Orleans.Runtime</c>: timers, membership, stream pub-sub and
    /// pulling agents) is left out: on an idle silo it made over 300 root spans in a few seconds, none
    /// of them part of a request.
    /// </remarks>
    public static TracerProviderBuilder AddRouterInstrumentation(this TracerProviderBuilder tracing) =>
        tracing
            .AddSource(RouterActivitySources.All)
            .AddSource(ApplicationGrainCalls)
            .AddHttpClientInstrumentation();

    /// <summary>Orleans' source of application grain calls.</summary>
    public const string ApplicationGrainCalls = "Microsoft.Orleans.Application";
}
