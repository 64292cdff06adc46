using Microsoft.Extensions.Configuration;
using OpenTelemetry.Trace;

namespace Router.Hosting;

/// <summary>
/// What a request's trace is made of on any router process, and when spans are made at all: only
/// when they go somewhere, to an OTLP collector when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the
/// exporter reads the standard <c>OTEL_EXPORTER_OTLP_*</c> variables itself) or to standard output
/// when <c>Tracing:Console</c> is <c>true</c>. Without either, tracing costs nothing per request.
/// </summary>
public static class RouterTracing
{
    /// <summary>The setting that prints finished spans to standard output.</summary>
    public const string ConsoleSetting = "Tracing:Console";

    /// <summary>The standard variable naming the OTLP collector.</summary>
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Orleans' source of application grain calls.</summary>
    public const string ApplicationGrainCalls = "Microsoft.Orleans.Application";

    /// <summary>The router's own activity sources (the generation run, the backends' GenAI spans).</summary>
    public static readonly string[] RouterSources = ["Router", "Router.*"];

    public static bool ExportsToOtlp(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[OtlpEndpointSetting]);

    public static bool PrintsToConsole(IConfiguration configuration) => configuration.GetValue<bool>(ConsoleSetting);

    /// <summary>
    /// The router's sources, Orleans' calls of application grains (both sides; activity propagation
    /// carries the context between them) and outgoing HTTP, the backend and classifier calls among it.
    /// </summary>
    /// <remarks>
    /// Orleans' runtime source (<c>Microsoft.Orleans.Runtime</c>: timers, membership, stream pub-sub and
    /// pulling agents) is left out: on an idle silo it made over 300 root spans in a few seconds, none
    /// of them part of a request.
    /// </remarks>
    public static TracerProviderBuilder AddRouterInstrumentation(this TracerProviderBuilder tracing) =>
        tracing
            .AddSource(RouterSources)
            .AddSource(ApplicationGrainCalls)
            .AddHttpClientInstrumentation();
}
