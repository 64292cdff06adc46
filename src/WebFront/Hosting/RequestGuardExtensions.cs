using Microsoft.AspNetCore.HostFiltering;

namespace Router.WebFront.Hosting;

/// <summary>
/// The checks every request passes before its endpoint: host and origin (<see cref="RequestOriginGuard"/>),
/// CORS for the allowed origins, and the web front's stream ceiling (<see cref="StreamCapacity"/>).
/// </summary>
public static class RequestGuardExtensions
{
    public const string CorsPolicy = "router-origins";

    public static IServiceCollection AddRouterRequestGuards(this IServiceCollection services, IConfiguration configuration)
    {
        var access = new BrowserAccess(configuration);
        services.AddSingleton(access);
        // ASP.NET Core's own host filter answers in HTML; RequestOriginGuard applies AllowedHosts instead.
        services.Configure<HostFilteringOptions>(o => o.AllowedHosts = ["*"]);
        services.AddCors(o => o.AddPolicy(CorsPolicy, policy => policy
            .WithOrigins([.. access.Origins])
            .AllowAnyHeader()
            .WithMethods("GET", "POST", "PATCH", "DELETE")
            .WithExposedHeaders("x-request-id", "x-router-model", "x-router-category", "x-router-confidence", "Retry-After")));
        return services;
    }

    public static IApplicationBuilder UseRouterRequestGuards(this IApplicationBuilder app) =>
        app.UseMiddleware<RequestOriginGuard>().UseCors(CorsPolicy).UseMiddleware<StreamCapacity>();
}
