using Microsoft.Extensions.Configuration;
using Orleans.Hosting;
using Router.Grains.Generation;

namespace Router.Grains.Hosting;

/// <summary>Configures a silo to host the router's grains.</summary>
public static class SiloBuilderRouterExtensions
{
    /// <summary>
    /// The grains, their services, their placement and the graceful drain of generations. The
    /// silo's providers (membership, storage, the lane streams) come from the hosting project
    /// (<c>Router.Hosting</c>), which the grains do not reference.
    /// </summary>
    public static ISiloBuilder AddRouter(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.AddRouterGrainServices(configuration);
        silo.Services.AddPlacementDirector<SiloBoundPlacement, SiloBoundPlacementDirector>();
        silo.AddGenerationDrain(configuration);
        return silo;
    }
}
