using Microsoft.Extensions.Options;
using Router.Hosting.Management;
using Router.WebFront.Options;

namespace Router.WebFront.Hosting;

/// <summary>
/// Metrics of the web front (registered by <c>AddRouterDefaults</c>) are also scraped at
/// <c>/metrics</c> on the management endpoint (<see cref="ManagementServer"/>), never on the public port.
/// </summary>
public static class TelemetryExtensions
{
    public static IServiceCollection AddRouterMetricsEndpoint(this IServiceCollection services) =>
        services.AddRouterMetricsEndpoint(sp => new ManagementEndpoint("WebFront:ManagementUrl", sp.GetRequiredService<IOptions<WebFrontOptions>>().Value.ManagementUrl));
}
