using Router.Hosting;
using Router.WebFront.Cluster;
using Router.WebFront.Lanes;
using Router.WebFront.Options;

namespace Router.WebFront.Hosting;

/// <summary>
/// Connects the web front to Orleans: a co-hosted silo (the embedded default, <see cref="CoHostedSiloExtensions"/>)
/// or a client of a cluster; either way with the membership watch that ends streams of lost silos,
/// and the graceful drain on stop.
/// </summary>
public static class OrleansHostingExtensions
{
    public static WebApplicationBuilder AddRouterOrleans(this WebApplicationBuilder builder)
    {
        var coHost = builder.Configuration.GetValue($"{WebFrontOptions.SectionName}:{nameof(WebFrontOptions.CoHostSilo)}", true);
        if (coHost) builder.AddCoHostedSilo();
        else builder.AddRouterClient();

        builder.AddClusterResilience();
        return builder;
    }

    /// <summary>The silo watch, the drain on stop and a health check that fails while draining.</summary>
    private static void AddClusterResilience(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<LaneHub>();
        services.AddHostedService(sp => sp.GetRequiredService<LaneHub>());
        services.AddSingleton<SiloWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<SiloWatcher>());
        services.AddSingleton<WebFrontDrain>();
        services.AddHostedService(sp => sp.GetRequiredService<WebFrontDrain>());
        services.AddHealthChecks().AddCheck<DrainHealthCheck>("drain");

        // The drain holds the host's stop (WebFrontDrain.StoppingAsync) while open streams finish; the
        // shutdown timeout must outlast it and leave Kestrel and Orleans time to stop after it.
        var drainTime = builder.Configuration.GetSection(WebFrontOptions.SectionName).Get<WebFrontOptions>()?.DrainTime ?? new WebFrontOptions().DrainTime;
        services.Configure<HostOptions>(o =>
        {
            var needed = drainTime + TimeSpan.FromSeconds(15);
            if (o.ShutdownTimeout < needed) o.ShutdownTimeout = needed;
        });
    }
}
