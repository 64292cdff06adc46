using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Router.Grains.Hosting;

namespace Router.Grains.Tests.Classification;

/// <summary>The grains' services with default configuration: the in-process classifier and its cache, as a silo has them.</summary>
internal static class GrainServices
{
    public static ServiceProvider Build()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMetrics();
        services.AddRouterGrainServices(new ConfigurationBuilder().Build());
        return services.BuildServiceProvider();
    }
}
