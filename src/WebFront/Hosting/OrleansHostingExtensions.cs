using Orleans.Configuration;
using Router.Grains.Hosting;
using Router.Grains.Interfaces;
using Router.WebFront.Options;

namespace Router.WebFront.Hosting;

/// <summary>
/// Connects the web front to Orleans: a co-hosted silo (the embedded default, and the only place the
/// web front touches the grain implementations) or a client of a cluster.
/// </summary>
public static class OrleansHostingExtensions
{
    public static WebApplicationBuilder AddRouterOrleans(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var coHost = configuration.GetValue($"{WebFrontOptions.SectionName}:{nameof(WebFrontOptions.CoHostSilo)}", true);
        if (coHost)
        {
            builder.UseOrleans(silo => silo.UseRouterClustering(configuration).AddRouter(configuration));
        }
        else
        {
            builder.UseOrleansClient(client =>
            {
                var gatewayPort = configuration.GetValue("Orleans:GatewayPort", EndpointOptions.DEFAULT_GATEWAY_PORT);
                client.UseLocalhostClustering(gatewayPort,
                    serviceId: configuration["Orleans:ServiceId"] ?? "router",
                    clusterId: configuration["Orleans:ClusterId"] ?? "dev");
                client.AddMemoryStreams(RouterStreams.ProviderName);
            });
        }

        return builder;
    }
}
