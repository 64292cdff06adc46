using Router.WebFront.Completions;
using Router.WebFront.Surfaces.Ollama;
using Router.WebFront.Surfaces.OpenAi;

namespace Router.WebFront.Surfaces;

/// <summary>
/// Writes a refusal made before any endpoint runs (a middleware's) in the shape of the surface the
/// path belongs to: Ollama's <c>{"error"}</c> under <c>/api/</c>, OpenAI's error object under
/// <c>/v1/</c> (except <c>/v1/route</c>), an RFC 7807 problem everywhere else.
/// </summary>
public static class SurfaceErrors
{
    public static Task WriteAsync(HttpContext context, RequestProblem problem)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/api")) return OllamaRelay.WriteErrorAsync(context, problem.Status, problem.Detail);
        if (path.StartsWithSegments("/v1") && !path.StartsWithSegments("/v1/route"))
        {
            return OpenAiEndpoints.WriteErrorAsync(context.Response, OpenAiError.FromProblem(problem));
        }

        return problem.ToResult().ExecuteAsync(context);
    }
}
