using Router.WebFront.Completions;

namespace Router.WebFront.Surfaces.Embeddings;

/// <summary>A middleware's refusal of an embeddings request, in the shape of its wire (OpenAI's error object, or Ollama's <c>{"error"}</c>).</summary>
internal sealed class EmbeddingsRefusals(EmbeddingsWire wire) : ISurfaceRefusals
{
    public static readonly EmbeddingsRefusals OpenAi = new(EmbeddingsWire.OpenAi);

    public static readonly EmbeddingsRefusals Ollama = new(EmbeddingsWire.Ollama);

    public Task WriteAsync(HttpContext context, RequestProblem problem) => EmbeddingsWriter.ErrorAsync(context.Response, wire, EmbeddingsWriter.From(problem));
}
