using Microsoft.Extensions.Configuration;
using Orleans.Hosting;
using Router.Grains.Generation;
using Router.Grains.Interfaces;

namespace Router.Grains.Hosting;

/// <summary>Configures a silo to host the router's grains and streams.</summary>
public static class SiloBuilderRouterExtensions
{
    /// <summary>Grains, their services, grain storage and the lane stream provider.</summary>
    public static ISiloBuilder AddRouter(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.AddRouterGrainServices(configuration);
        silo.Services.AddPlacementDirector<SiloBoundPlacement, SiloBoundPlacementDirector>();

        silo.AddRouterStorage(configuration);
        silo.AddGenerationDrain(configuration);
        silo.AddLaneStreams(RouterStreams.ProviderName, configuration);
        silo.AddActivityPropagation();
        return silo;
    }
}
