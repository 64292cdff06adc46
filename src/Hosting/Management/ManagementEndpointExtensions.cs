using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;

namespace Router.Hosting.Management;

/// <summary>
/// Serves the metrics of <c>AddRouterDefaults</c> to a Prometheus scraper at <c>/metrics</c> on the
/// host's management endpoint (<see cref="ManagementServer"/>), never on a public port.
/// </summary>
public static class ManagementEndpointExtensions
{
    /// <summary>A well-formed management URL: absolute http, nothing after the port.</summary>
    public static bool IsValidUrl(string? url) =>
        string.IsNullOrWhiteSpace(url)
        || (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && uri.AbsolutePath == "/" && string.IsNullOrEmpty(uri.Query));

    /// <param name="endpoint">Where to listen, read once the services are built (options are validated by then).</param>
    public static IServiceCollection AddRouterMetricsEndpoint(this IServiceCollection services, Func<IServiceProvider, ManagementEndpoint> endpoint)
    {
        services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddPrometheusExporter());
        services.AddSingleton(endpoint);
        services.AddSingleton<ManagementServer>();
        services.AddHostedService(sp => sp.GetRequiredService<ManagementServer>());
        return services;
    }

    /// <summary>The setting naming a silo's management endpoint.</summary>
    public const string SiloSetting = "Silo:ManagementUrl";

    /// <summary>
    /// A silo's <c>/metrics</c> at <c>Silo:ManagementUrl</c>. Off unless set: several silos often share
    /// one machine (a local cluster), where one default port would stop all but the first; the
    /// compose file sets it on every silo for its Prometheus.
    /// </summary>
    public static IHostApplicationBuilder AddRouterSiloMetricsEndpoint(this IHostApplicationBuilder builder)
    {
        var url = builder.Configuration[SiloSetting];
        if (!IsValidUrl(url))
        {
            throw new InvalidOperationException($"{SiloSetting} must be an absolute http URL without a path, like http://0.0.0.0:9464, or empty to disable it (was '{url}').");
        }

        builder.Services.AddRouterMetricsEndpoint(_ => new ManagementEndpoint(SiloSetting, url));
        return builder;
    }
}
