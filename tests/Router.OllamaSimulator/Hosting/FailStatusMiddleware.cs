using Router.OllamaSimulator.Generation;

namespace Router.OllamaSimulator.Hosting;

/// <summary>
/// <see cref="SimulatorOptions.FailStatus"/> for the endpoints that do not generate (version, tags,
/// models), so a failing simulator also fails a health probe; generations answer it themselves, to be journaled.
/// </summary>
internal static class FailStatusMiddleware
{
    private static readonly string[] GenerationPaths = ["/api/chat", "/api/generate", "/v1/chat/completions", "/api/embed", "/v1/embeddings"];

    public static IApplicationBuilder UseFailStatus(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var path = context.Request.Path;
        var failing = context.RequestServices.GetRequiredService<SimulatorOptions>().FailStatus;
        if (failing is not { } status || path.StartsWithSegments("/sim") || GenerationPaths.Any(p => path.Equals(p, StringComparison.OrdinalIgnoreCase)))
        {
            await next(context);
            return;
        }

        IWireDialect dialect = path.StartsWithSegments("/v1") ? new OpenAIDialect(includeUsage: false) : OllamaDialect.Instance;
        await dialect.WriteErrorAsync(context, status, dialect.ForStatus(status));
    });
}
