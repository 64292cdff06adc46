namespace Router.OllamaSimulator.Wire;

/// <summary>
/// What a model is and can do: built-in defaults for well-known Ollama models (and name hints for others),
/// overridden by <see cref="SimulatorOptions.ModelProfiles"/>.
/// </summary>
internal sealed record ModelTraits(string Family, string ParameterSize, long Size, IReadOnlyList<string> Capabilities, int ContextLength, bool ThinksByDefault)
{
    public const string Completion = "completion";
    public const string Tools = "tools";
    public const string Vision = "vision";
    public const string Thinking = "thinking";
    public const string Embedding = "embedding";

    public static readonly IReadOnlyList<string> KnownCapabilities = [Completion, Tools, Vision, Thinking, Embedding, "insert"];

    public bool Can(string capability) => Capabilities.Contains(capability, StringComparer.OrdinalIgnoreCase);

    /// <summary>Length of the vectors <c>/api/embed</c> returns; small, since tests compare them whole.</summary>
    public const int EmbeddingLength = 8;

    public static ModelTraits For(SimulatorOptions options, string model)
    {
        var name = ModelCatalog.Normalize(model);
        var baseName = name[..name.IndexOf(':', StringComparison.Ordinal)].ToLowerInvariant();
        var traits = Defaults(baseName);
        var profile = Profile(options, name, baseName);
        if (profile is null)
        {
            return traits;
        }

        return traits with
        {
            Capabilities = profile.Capabilities is { } caps ? [.. caps.Select(c => c.ToLowerInvariant())] : traits.Capabilities,
            ContextLength = profile.ContextLength ?? traits.ContextLength,
            Family = profile.Family ?? traits.Family,
            ThinksByDefault = profile.ThinksByDefault,
        };
    }

    private static SimulatedModelProfile? Profile(SimulatorOptions options, string name, string baseName)
    {
        foreach (var (key, profile) in options.ModelProfiles)
        {
            if (string.Equals(ModelCatalog.Normalize(key), name, StringComparison.OrdinalIgnoreCase)
                || (name.EndsWith(":latest", StringComparison.OrdinalIgnoreCase) && string.Equals(key, baseName, StringComparison.OrdinalIgnoreCase)))
            {
                return profile;
            }
        }

        return null;
    }

    private static ModelTraits Defaults(string baseName) => baseName switch
    {
        "llama3.2" => new("llama", "3.2B", 2_019_393_189L, [Completion, Tools], 131_072, false),
        "llama3.1" => new("llama", "8.0B", 4_920_753_328L, [Completion, Tools], 131_072, false),
        "qwen2.5-coder" => new("qwen2", "7.6B", 4_683_087_332L, [Completion, Tools, "insert"], 32_768, false),
        "deepseek-r1" => new("qwen2", "7.6B", 4_683_087_561L, [Completion, Thinking], 131_072, false),
        "qwen3" => new("qwen3", "8.2B", 5_225_388_164L, [Completion, Tools, Thinking], 40_960, false),
        "llava" => new("llama", "7B", 4_733_363_377L, [Completion, Vision], 32_768, false),
        "llama3.2-vision" => new("mllama", "10.7B", 7_816_589_186L, [Completion, Vision], 131_072, false),
        "gemma3" => new("gemma3", "4.3B", 3_338_801_804L, [Completion, Vision], 131_072, false),
        "nomic-embed-text" => new("nomic-bert", "137M", 274_302_450L, [Embedding], 2_048, false),
        "mxbai-embed-large" => new("bert", "334M", 669_615_493L, [Embedding], 512, false),
        "all-minilm" => new("bert", "23M", 45_960_996L, [Embedding], 512, false),
        _ => Guess(baseName),
    };

    /// <summary>An unknown name: a chat model with tools, plus what its name suggests.</summary>
    private static ModelTraits Guess(string baseName)
    {
        var family = new string([.. baseName.TakeWhile(char.IsLetter)]) is { Length: > 0 } f ? f : "llama";
        if (baseName.Contains("embed", StringComparison.Ordinal))
        {
            return new(family, "335M", 669_000_000L, [Embedding], 8_192, false);
        }

        List<string> caps = [Completion, Tools];
        if (baseName.Contains("vision", StringComparison.Ordinal) || baseName.Contains("llava", StringComparison.Ordinal) || baseName.Contains("-vl", StringComparison.Ordinal))
        {
            caps.Add(Vision);
        }

        if (baseName.Contains("r1", StringComparison.Ordinal) || baseName.Contains("think", StringComparison.Ordinal) || baseName.Contains("reason", StringComparison.Ordinal))
        {
            caps.Add(Thinking);
        }

        return new(family, "7B", 4_000_000_000L, caps, 32_768, false);
    }
}
