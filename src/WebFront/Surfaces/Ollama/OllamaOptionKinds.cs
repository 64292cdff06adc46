namespace Router.WebFront.Surfaces.Ollama;

/// <summary>The JSON type of an Ollama option's value.</summary>
internal enum OllamaOptionKind
{
    Integer,
    Number,
    Boolean,
    Strings,
}

/// <summary>
/// The <c>options</c> entries the router passes to an Ollama backend, with their value types: the
/// router builds the backend's request with OllamaSharp, whose <c>RequestOptions</c> has exactly these,
/// so any other name would be lost on the way and is refused instead.
/// </summary>
internal static class OllamaOptionKinds
{
    public static readonly IReadOnlyDictionary<string, OllamaOptionKind> All = new Dictionary<string, OllamaOptionKind>(StringComparer.Ordinal)
    {
        ["mirostat"] = OllamaOptionKind.Integer,
        ["mirostat_eta"] = OllamaOptionKind.Number,
        ["mirostat_tau"] = OllamaOptionKind.Number,
        ["num_ctx"] = OllamaOptionKind.Integer,
        ["num_gqa"] = OllamaOptionKind.Integer,
        ["num_gpu"] = OllamaOptionKind.Integer,
        ["main_gpu"] = OllamaOptionKind.Integer,
        ["num_batch"] = OllamaOptionKind.Integer,
        ["num_thread"] = OllamaOptionKind.Integer,
        ["num_keep"] = OllamaOptionKind.Integer,
        ["repeat_last_n"] = OllamaOptionKind.Integer,
        ["repeat_penalty"] = OllamaOptionKind.Number,
        ["presence_penalty"] = OllamaOptionKind.Number,
        ["frequency_penalty"] = OllamaOptionKind.Number,
        ["temperature"] = OllamaOptionKind.Number,
        ["seed"] = OllamaOptionKind.Integer,
        ["stop"] = OllamaOptionKind.Strings,
        ["tfs_z"] = OllamaOptionKind.Number,
        ["num_predict"] = OllamaOptionKind.Integer,
        ["top_k"] = OllamaOptionKind.Integer,
        ["top_p"] = OllamaOptionKind.Number,
        ["min_p"] = OllamaOptionKind.Number,
        ["typical_p"] = OllamaOptionKind.Number,
        ["penalize_newline"] = OllamaOptionKind.Boolean,
        ["use_mmap"] = OllamaOptionKind.Boolean,
        ["use_mlock"] = OllamaOptionKind.Boolean,
        ["low_vram"] = OllamaOptionKind.Boolean,
        ["f16_kv"] = OllamaOptionKind.Boolean,
        ["logits_all"] = OllamaOptionKind.Boolean,
        ["vocab_only"] = OllamaOptionKind.Boolean,
        ["numa"] = OllamaOptionKind.Boolean,
    };

    /// <summary>Bounds the router checks itself, so that a value no model can use is a 400 rather than a backend's failure.</summary>
    public static (double Min, double Max)? RangeOf(string name) => name switch
    {
        "num_predict" => (-2, int.MaxValue),
        "temperature" => (0, float.MaxValue),
        "top_p" or "min_p" or "typical_p" => (0, 1),
        "top_k" => (0, int.MaxValue),
        "mirostat" => (0, 2),
        _ => null,
    };
}
