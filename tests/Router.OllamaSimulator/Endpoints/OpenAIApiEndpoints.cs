using Router.OllamaSimulator.Generation;

namespace Router.OllamaSimulator.Endpoints;

/// <summary>The OpenAI-compatible subset a chat client needs, with OpenAI's paths and field names.</summary>
public static class OpenAIApiEndpoints
{
    public static IEndpointRouteBuilder MapOpenAIApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        endpoints.MapPost("/v1/chat/completions", context => context.RequestServices.GetRequiredService<OpenAIRequestHandler>().HandleChatCompletionsAsync(context));
        endpoints.MapPost("/v1/embeddings", context => context.RequestServices.GetRequiredService<EmbeddingHandler>().HandleOpenAIAsync(context));
        endpoints.MapGet("/v1/models", context => context.RequestServices.GetRequiredService<OpenAIRequestHandler>().HandleModelsAsync(context));
        return endpoints;
    }
}
