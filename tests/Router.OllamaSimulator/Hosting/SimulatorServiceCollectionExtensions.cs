using Microsoft.Extensions.Options;
using Router.OllamaSimulator.Generation;

namespace Router.OllamaSimulator.Hosting;

public static class SimulatorServiceCollectionExtensions
{
    /// <summary>
    /// Registers the simulator: options bound from <c>Simulator</c> and validated at start-up, the journal,
    /// and the request handler. <see cref="SimulatorOptions"/> itself is also registered as the live instance.
    /// </summary>
    public static IServiceCollection AddOllamaSimulator(this IServiceCollection services, IConfiguration configuration, Action<SimulatorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        var builder = services.AddOptions<SimulatorOptions>().Bind(configuration.GetSection(SimulatorOptions.SectionName));
        if (configure is not null)
        {
            builder.PostConfigure(configure);
        }

        builder.ValidateOnStart();
        services.AddSingleton<IValidateOptions<SimulatorOptions>, SimulatorOptionsValidator>();

        // IOptions<T>.Value is created once, so this instance is the one every request reads: mutating it
        // changes the behaviour of later requests.
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SimulatorOptions>>().Value);
        services.AddSingleton<SimulatorJournal>();
        services.AddSingleton<GenerationHandler>();
        services.AddSingleton<OllamaRequestHandler>();
        services.AddSingleton<OpenAIRequestHandler>();
        services.AddSingleton<EmbeddingHandler>();
        return services;
    }
}
