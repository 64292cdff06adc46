using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Router.Classifier;
using Router.Grains.Classification;
using Router.Grains.Diagnostics;
using Router.Grains.Generation;
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
        services.AddOptionsWithValidateOnStart<StreamingOptions>().Bind(configuration.GetSection(StreamingOptions.SectionName));
        services.AddSingleton<IValidateOptions<StreamingOptions>, StreamingOptionsValidator>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RouterInstruments>();
        services.AddSingleton<ClassificationCache>();
        services.AddSingleton<ModelBackends>();
        services.AddHostedService<OllamaProbe>();
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
