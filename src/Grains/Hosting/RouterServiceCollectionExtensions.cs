using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Router.Classifier;
using Router.Grains.Classification;
using Router.Grains.Diagnostics;
using Router.Grains.Generation;
using Router.Grains.Generation.Capabilities;
using Router.Grains.Options;

namespace Router.Grains.Hosting;

/// <summary>Registers what the router's grains need on a silo.</summary>
public static class RouterServiceCollectionExtensions
{
    public static IServiceCollection AddRouterGrainServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMetrics();
        services.AddOptionsWithValidateOnStart<OllamaOptions>().Bind(configuration.GetSection(OllamaOptions.SectionName));
        services.AddSingleton<IValidateOptions<OllamaOptions>, OllamaOptionsValidator>();
        services.AddOptionsWithValidateOnStart<ClassifierOptions>().Bind(configuration.GetSection(ClassifierOptions.SectionName));
        services.AddSingleton<IValidateOptions<ClassifierOptions>, ClassifierOptionsValidator>();
        services.AddOptionsWithValidateOnStart<GenerationOptions>().Bind(configuration.GetSection(GenerationOptions.SectionName));
        services.AddSingleton<IValidateOptions<GenerationOptions>, GenerationOptionsValidator>();
        var upstreams = configuration.GetSection(UpstreamsOptions.SectionName);
        services.AddOptionsWithValidateOnStart<UpstreamsOptions>().Configure(o => upstreams.Bind(o.Models));
        services.AddSingleton<IValidateOptions<UpstreamsOptions>, UpstreamsOptionsValidator>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RouterInstruments>();
        services.AddSingleton<ClassificationCache>();
        services.AddSingleton<ModelBackends>();
        services.AddOptionsWithValidateOnStart<CapabilitiesOptions>().Bind(configuration.GetSection(CapabilitiesOptions.SectionName));
        services.AddSingleton<IValidateOptions<CapabilitiesOptions>, CapabilitiesOptionsValidator>();
        services.AddSingleton<ModelCapabilityRegistry>();
        services.AddHostedService<OllamaProbe>();
        services.AddHostedService<UpstreamProbe>();
        services.AddSingleton<ICompletionStreams, OrleansCompletionStreams>();
        services.AddSingleton<CompletionRunner>();
        services.AddPromptClassifier(configuration);
        return services;
    }

    /// <summary>The classifier service's client when <c>Classifier:Url</c> is set, else the in-process classifier.</summary>
    private static void AddPromptClassifier(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(ClassifierOptions.SectionName);
        if (string.IsNullOrWhiteSpace(section["Url"]))
        {
            services.AddPromptCategoryModel(section);

            // In the router the classifier sits before every first token: the encoder tier costs 6-9 ms
            // of CPU for each prompt it decides (12-16 % of them), which a burst of new prompts on a small
            // machine pays in time to first token (docs/BENCHMARKS.md). It runs only when configured.
            if (section.GetSection("Encoder")["Enabled"] is null)
            {
                services.Configure<ClassifierModelOptions>(o => o.Encoder.Enabled = false);
            }

            services.AddSingleton<IPromptClassifier, InProcessPromptClassifier>();
            services.AddHostedService<ClassifierModelWarmup>();
            return;
        }

        services.AddHttpClient<IPromptClassifier, HttpPromptClassifier>((sp, http) =>
        {
            var options = sp.GetRequiredService<IOptions<ClassifierOptions>>().Value;
            http.BaseAddress = options.Url;
            http.Timeout = options.Timeout;
        });
    }
}
