using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
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

    private const string JudgeClientName = "classifier-judge";

    /// <summary>The classifier service's client when <c>Classifier:Url</c> is set, else the in-process classifier.</summary>
    private static void AddPromptClassifier(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(ClassifierOptions.SectionName);
        if (string.IsNullOrWhiteSpace(section["Url"]))
        {
            services.AddPromptCategoryModel(section);

            // The second tier reads the static embedding (a table lookup per word piece, about 0.2 ms of CPU for a
            // 2 KiB prompt), so it runs in the router as in the classifier service; Classifier:Encoder:Enabled=false
            // keeps the n-gram tier alone (docs/BENCHMARKS.md, docs/benchmarks/classifier.md).
            services.AddSingleton<InProcessPromptClassifier>();
            if (string.IsNullOrWhiteSpace(section.GetSection("Judge")["Model"]))
            {
                services.AddSingleton<IPromptClassifier>(sp => sp.GetRequiredService<InProcessPromptClassifier>());
            }
            else
            {
                // The judge tier: a small instruct model on Ollama for the least certain prompts (off unless named).
                services.AddHttpClient(JudgeClientName);
                services.AddSingleton<IPromptClassifier>(sp =>
                {
                    var judge = sp.GetRequiredService<IOptions<ClassifierOptions>>().Value.Judge;
                    var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(JudgeClientName);
                    http.BaseAddress = judge.Url;
                    http.Timeout = Timeout.InfiniteTimeSpan; // the judge's own timeout cancels the call
                    return new JudgedPromptClassifier(
                        sp.GetRequiredService<InProcessPromptClassifier>(), new OllamaSharp.OllamaApiClient(http),
                        sp.GetRequiredService<PromptCategoryModel>().Routing, judge, sp.GetRequiredService<ILogger<JudgedPromptClassifier>>());
                });
            }

            services.AddSingleton<ClassifierModelWarmup>();
            services.AddHostedService(sp => sp.GetRequiredService<ClassifierModelWarmup>());
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
