using Router.OllamaSimulator.Wire;

namespace Router.OllamaSimulator.Generation;

/// <summary>
/// Refuses a request that needs a capability the model lacks, with Ollama's words (HTTP 400): tools →
/// <c>registry.ollama.ai/library/&lt;model&gt; does not support tools</c>, images → the same with <c>vision</c>,
/// thinking asked for → <c>"&lt;model&gt;" does not support thinking</c>, a chat or generate call to an
/// embedding-only model → <c>"&lt;model&gt;" does not support chat</c> (<c>generate</c>), an embedding call to a
/// model without <c>embedding</c> → <c>"&lt;model&gt;" does not support embeddings</c>.
/// </summary>
internal static class CapabilityGate
{
    public static string? Refusal(SimulatedCall call, ModelTraits traits, string model)
    {
        var content = call.RequestContent;
        if (call.Endpoint is SimulatedEndpoint.Embed or SimulatedEndpoint.Embeddings)
        {
            return traits.Can(ModelTraits.Embedding) ? null : $"\"{model}\" does not support embeddings";
        }

        if (!traits.Can(ModelTraits.Completion))
        {
            return $"\"{model}\" does not support {(call.Endpoint == SimulatedEndpoint.Generate ? "generate" : "chat")}";
        }

        if (content.Tools.Count > 0 && call.Endpoint != SimulatedEndpoint.Generate && !traits.Can(ModelTraits.Tools))
        {
            return $"{RegistryName(model)} does not support tools";
        }

        if (content.HasImages && !traits.Can(ModelTraits.Vision))
        {
            return $"{RegistryName(model)} does not support vision";
        }

        if (AnswerPlanner.ThinkingRequested(content) && !traits.Can(ModelTraits.Thinking))
        {
            return $"\"{model}\" does not support thinking";
        }

        return null;
    }

    /// <summary>Ollama names a library model by its registry path in these errors.</summary>
    private static string RegistryName(string model)
    {
        var name = ModelCatalog.Normalize(model);
        return name.Contains('/', StringComparison.Ordinal) ? name : "registry.ollama.ai/library/" + name;
    }
}
