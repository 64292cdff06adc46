using Microsoft.Extensions.Options;
using Router.Hosting;
using Router.WebFront.Auth;
using Router.WebFront.Cluster;
using Router.WebFront.Completions;
using Router.WebFront.Console;
using Router.WebFront.Diagnostics;
using Router.WebFront.Options;
using Router.WebFront.Spend;
using Router.WebFront.Sessions;
using Router.WebFront.Surfaces.OpenAi;
using Router.WebFront.Surfaces.Anthropic;
using Router.WebFront.Surfaces.Complete;
using Router.WebFront.Surfaces.Route;
using Router.WebFront.Surfaces.Ollama;
using Router.WebFront.Surfaces.Responses;
using Router.WebFront.Surfaces.Embeddings;

namespace Router.WebFront.Hosting;

/// <summary>Composition of the web front; <c>Program</c> and the tests build the same application.</summary>
public static class RouterWebApplication
{
    /// <summary>The default address when neither <c>--urls</c> nor <c>ASPNETCORE_URLS</c> is given.</summary>
    public const string DefaultUrl = "http://localhost:8080";

    public static WebApplication Create(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.AddRouterDefaults();
        builder.AddRouterOrleans();
        builder.Services.AddRouterAuth(builder.Configuration);
        builder.Services.AddRouterRequestGuards(builder.Configuration);
        builder.Services.AddCompletionRelay(builder.Configuration);
        builder.Services.AddResponsesApi(builder.Configuration);
        builder.Services.AddRouterSpend(builder.Configuration);
        builder.Services.AddRouterMetricsEndpoint();
        builder.Services.AddRouterConsole();
        builder.Services.AddHostedService<RouterWarmup>();

        var app = builder.Build();
        app.UseRouterProblemResponses();
        app.UseRouterConsoleGateway();
        app.UseRouting();
        app.UseRouterRequestGuards();
        app.MapComplete();
        app.MapOpenAiApi();
        app.MapOllamaApi();
        app.MapAnthropicApi();
        app.MapResponsesApi();
        app.MapEmbeddingsApi();
        app.MapRouteApi();
        app.MapAdminKeys();
        app.MapUsageApi();
        app.MapClusterApi();
        app.MapConsole();
        app.MapHistory();
        app.MapRouterDefaultEndpoints();
        return app;
    }

    private static IServiceCollection AddCompletionRelay(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRouterProblemResponses();
        services.AddOptionsWithValidateOnStart<WebFrontOptions>().Bind(configuration.GetSection(WebFrontOptions.SectionName));
        services.AddSingleton<IValidateOptions<WebFrontOptions>, WebFrontOptionsValidator>();
        services.AddSingleton<WebFrontInstruments>();
        services.AddSingleton<CompletionCore>();
        services.AddOptionsWithValidateOnStart<ModelsOptions>().Bind(configuration.GetSection(ModelsOptions.SectionName));
        services.AddSingleton<IValidateOptions<ModelsOptions>, ModelsOptionsValidator>();
        services.AddSingleton<ServedModels>();
        services.AddSingleton<Microsoft.AspNetCore.Routing.MatcherPolicy, HeaderMatcherPolicy>();
        return services;
    }
}
