using Microsoft.Extensions.DependencyInjection.Extensions;
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
        return services;
    }

    /// <summary>Goes before routing: <see cref="ConsoleGateway"/> rewrites the paths routing then matches.</summary>
    public static IApplicationBuilder UseRouterConsoleGateway(this IApplicationBuilder app) => app.UseMiddleware<ConsoleGateway>();
}
