namespace Router.OllamaSimulator;

/// <summary>
/// Global behaviour of the simulator, bound from the <c>Simulator</c> configuration section.
/// The registered instance is live: changing a property affects requests that start afterwards,
/// which is how tests switch behaviour at runtime without restarting the server.
/// Per-request overrides come from <c>[[sim:...]]</c> directives in the prompt.
/// </summary>
public sealed class SimulatorOptions
{
    public const string SectionName = "Simulator";

    /// <summary>Models served when <see cref="Models"/> is empty.</summary>
    public static readonly IReadOnlyList<string> DefaultModels = ["llama3.2", "qwen2.5-coder", "deepseek-r1"];

    /// <summary>Delay before the first token (or before the whole answer when not streaming).</summary>
    public int TimeToFirstTokenMs { get; set; } = 50;

    /// <summary>Token rate after the first token; 0 sends as fast as possible.</summary>
    public double TokensPerSecond { get; set; } = 50;

    /// <summary>Tokens generated per answer.</summary>
    public int ResponseTokens { get; set; } = 30;

    /// <summary>Known model names; a name without a tag means <c>:latest</c>. Empty means <see cref="DefaultModels"/>.</summary>
    public IList<string> Models { get; set; } = [];

    /// <summary>Upper bound of finished requests kept in the journal (oldest dropped first), so long load runs stay bounded.</summary>
    public int JournalCapacity { get; set; } = 10_000;

    /// <summary>When set, the OpenAI endpoints (<c>/v1/*</c>) require <c>Authorization: Bearer</c> with this key; otherwise any key or none is accepted.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// When set, every Ollama and OpenAI endpoint (generation, <c>/api/version</c>, <c>/api/tags</c>,
    /// <c>/v1/models</c>) answers this status with the API's error body, as a server that is up but
    /// failing does; <c>/sim/*</c> keeps working. Clear it to let the server recover.
    /// </summary>
    public int? FailStatus { get; set; }

    /// <summary>
    /// Per-model capabilities, context length and family, keyed by model name without <c>:latest</c>
    /// (<c>Simulator:ModelProfiles:llama3.2:Capabilities:0=completion</c>); unlisted models keep the built-in defaults.
    /// </summary>
    public IDictionary<string, SimulatedModelProfile> ModelProfiles { get; set; } = new Dictionary<string, SimulatedModelProfile>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Thinking tokens a thinking answer sends before its content.</summary>
    public int ThinkingTokens { get; set; } = 6;

    internal IReadOnlyList<string> EffectiveModels
    {
        get
        {
            // Snapshot: the list may be replaced at runtime by another thread.
            var models = Models;
            return models is { Count: > 0 } ? [.. models] : DefaultModels;
        }
    }

    public void CopyTo(SimulatorOptions target)
    {
        ArgumentNullException.ThrowIfNull(target);
        target.TimeToFirstTokenMs = TimeToFirstTokenMs;
        target.TokensPerSecond = TokensPerSecond;
        target.ResponseTokens = ResponseTokens;
        target.Models = [.. Models];
        target.JournalCapacity = JournalCapacity;
        target.ApiKey = ApiKey;
        target.FailStatus = FailStatus;
        target.ThinkingTokens = ThinkingTokens;
        target.ModelProfiles = new Dictionary<string, SimulatedModelProfile>(
            ModelProfiles.Select(p => KeyValuePair.Create(p.Key, p.Value.Copy())), StringComparer.OrdinalIgnoreCase);
    }
}
