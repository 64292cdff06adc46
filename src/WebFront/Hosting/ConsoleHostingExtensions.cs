using Microsoft.Extensions.DependencyInjection.Extensions;
using Router.WebFront.Cluster;
using Router.WebFront.Console;

namespace Router.WebFront.Hosting;

/// <summary>The web console under <c>/console</c> (see docs/console.md).</summary>
public static class ConsoleHostingExtensions
{
    public static IServiceCollection AddRouterConsole(this IServiceCollection services)
    {
        services.AddSingleton<ConsoleAssets>();
        services.AddSingleton<ConsoleSessions>();
        services.TryAddSingleton(TimeProvider.System);

        // Every web front reports itself to the cluster, for the Cluster page's list of web fronts.
        services.AddSingleton<WebFrontReporter>();
        services.AddHostedService(sp => sp.GetRequiredService<WebFrontReporter>());
        return services;
    }

    /// <summary>Goes before routing: <see cref="ConsoleGateway"/> rewrites the paths routing then matches.</summary>
    public static IApplicationBuilder UseRouterConsoleGateway(this IApplicationBuilder app) => app.UseMiddleware<ConsoleGateway>();
}
