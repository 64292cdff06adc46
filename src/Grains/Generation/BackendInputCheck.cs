using Router.Grains.Interfaces;

namespace Router.Grains.Generation;

/// <summary>
/// What a backend cannot take of a request, found before anything is sent, so the client gets a 400
/// naming it rather than an answer to something else: Ollama takes images only as data (the router
/// fetches nothing from an address) and cannot be made to call some tool (OpenAI's
/// <c>tool_choice: "required"</c> among several tools), and an OpenAI-compatible upstream takes none of
/// Ollama's runtime options. A named function is honoured by offering Ollama that tool alone.
/// </summary>
public static class BackendInputCheck
{
    public static CompletionError? Refuse(string model, ModelInput input, GenerationSettings? settings, ModelBackends backends)
    {
        if (backends.Find(model, out var kind) is null) return null;
        if (kind == BackendKind.OpenAICompatible)
        {
            // Ollama's runtime options (num_ctx, mirostat, ...) have no OpenAI counterpart.
            return settings?.BackendOptions is { Count: > 0 } options
                ? new CompletionError(ErrorCodes.BackendRefused,
                    $"The model '{model}' is served by an OpenAI-compatible server, which takes none of these Ollama options: {string.Join(", ", options.Keys)}.")
                : null;
        }

        if (input.Messages.Any(m => m.Parts.Any(p => p.Kind == PartKind.Image && p.Data is null)))
        {
            return new CompletionError(ErrorCodes.BackendRefused,
                $"The model '{model}' is served by Ollama, which takes images only as data; the router fetches no image from an address (send it as a data: URL or base64).");
        }

        if (input.ToolChoice?.Mode == ToolChoice.Required && input.Tools is { Count: > 1 })
        {
            return new CompletionError(ErrorCodes.BackendRefused,
                $"The model '{model}' is served by Ollama, which cannot be made to call a tool: tool_choice 'required' cannot be honoured (name one function instead, or use 'auto').");
        }

        return null;
    }
}
