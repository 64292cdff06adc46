using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serilog;
using Serilog.Events;

namespace Router.Hosting;

/// <summary>Serilog for every host: configuration first (section <c>Serilog</c>), console by default.</summary>
public static class RouterLoggingExtensions
{
    public static IServiceCollection AddRouterLogging(this IServiceCollection services, IConfiguration configuration)
    {
        var hasSinks = configuration.GetSection("Serilog:WriteTo").Exists();
        return services.AddSerilog(logger =>
        {
            logger.MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
                .MinimumLevel.Override("Orleans", LogEventLevel.Warning)
                .MinimumLevel.Override("System.Net.Http", LogEventLevel.Warning)
                .MinimumLevel.Override("Polly", LogEventLevel.Warning)
                .ReadFrom.Configuration(configuration)
                .Enrich.FromLogContext();
            if (!hasSinks)
            {
                logger.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
            }
        });
    }
}
