using System.Text.Json;
using Microsoft.Extensions.Options;
using Router.OllamaSimulator.Generation;
using Router.OllamaSimulator.Wire;

namespace Router.OllamaSimulator.Endpoints;

/// <summary>The subset of Ollama's HTTP API the router uses, with Ollama's paths and field names.</summary>
public static class OllamaApiEndpoints
{
    public const string Version = "0.12.0";

    public static IEndpointRouteBuilder MapOllamaApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        endpoints.MapMethods("/", [HttpMethods.Get, HttpMethods.Head], () => Results.Text("Ollama is running"));
        endpoints.MapPost("/api/chat", context => context.RequestServices.GetRequiredService<OllamaRequestHandler>().HandleChatAsync(context));
        endpoints.MapPost("/api/generate", context => context.RequestServices.GetRequiredService<OllamaRequestHandler>().HandleGenerateAsync(context));
        endpoints.MapPost("/api/show", ModelShow.HandleAsync);
        endpoints.MapPost("/api/embed", context => context.RequestServices.GetRequiredService<EmbeddingHandler>().HandleOllamaAsync(context));
        endpoints.MapGet("/api/version", () => Results.Json(new VersionBody(Version), SimulatorJsonContext.Default.VersionBody));
        endpoints.MapGet("/api/tags", (IOptions<SimulatorOptions> options) =>
            Results.Json(ModelCatalog.Describe(options.Value), SimulatorJsonContext.Default.TagsBody));

        return endpoints;
    }
}
