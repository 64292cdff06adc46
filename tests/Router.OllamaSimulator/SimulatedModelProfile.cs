namespace Router.OllamaSimulator;

/// <summary>
/// What one model can do, overriding the built-in defaults: bound from
/// <c>Simulator:ModelProfiles:&lt;name&gt;</c> (the name without <c>:latest</c>). Unset fields keep the default.
/// </summary>
public sealed class SimulatedModelProfile
{
    /// <summary>Ollama's capability names: <c>completion</c>, <c>tools</c>, <c>vision</c>, <c>thinking</c>, <c>embedding</c>, <c>insert</c>.</summary>
    public IList<string>? Capabilities { get; set; }

    /// <summary>Reported by <c>/api/show</c> as <c>model_info["&lt;family&gt;.context_length"]</c>.</summary>
    public int? ContextLength { get; set; }

    /// <summary>The architecture family (<c>llama</c>, <c>qwen2</c>…), used in <c>/api/tags</c> and <c>model_info</c> keys.</summary>
    public string? Family { get; set; }

    /// <summary>
    /// When true the model thinks unless the request says <c>think: false</c> (Ollama) or <c>reasoning_effort: none</c>
    /// (OpenAI), as reasoning models served behind an OpenAI-compatible API do; needs the <c>thinking</c> capability.
    /// </summary>
    public bool ThinksByDefault { get; set; }

    public SimulatedModelProfile Copy() => new()
    {
        Capabilities = Capabilities is null ? null : [.. Capabilities],
        ContextLength = ContextLength,
        Family = Family,
        ThinksByDefault = ThinksByDefault,
    };
}
