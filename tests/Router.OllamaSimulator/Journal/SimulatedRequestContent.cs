namespace Router.OllamaSimulator;

/// <summary>
/// Everything a request carried besides its model and sampling parameters, so a test can assert exactly
/// what reached the backend. <c>/api/generate</c>'s <c>system</c> and <c>prompt</c> (with its <c>images</c>)
/// are recorded as a system and a user message.
/// </summary>
public sealed record SimulatedRequestContent
{
    public static SimulatedRequestContent Empty { get; } = new();

    /// <summary>The whole conversation, in order.</summary>
    public IReadOnlyList<SimulatedMessage> Messages { get; init; } = [];

    /// <summary>The tool definitions offered.</summary>
    public IReadOnlyList<SimulatedTool> Tools { get; init; } = [];

    /// <summary>OpenAI's <c>tool_choice</c>: the string (<c>auto</c>, <c>none</c>, <c>required</c>) or the raw JSON of an object choice.</summary>
    public string? ToolChoice { get; init; }

    /// <summary>OpenAI's <c>parallel_tool_calls</c>, when sent.</summary>
    public bool? ParallelToolCalls { get; init; }

    /// <summary>Ollama's <c>format</c> or OpenAI's <c>response_format</c>.</summary>
    public SimulatedResponseFormat? ResponseFormat { get; init; }

    /// <summary>Ollama's <c>think</c> as sent: <c>true</c>, <c>false</c>, or a level (<c>low</c>, <c>medium</c>, <c>high</c>).</summary>
    public string? Think { get; init; }

    /// <summary>OpenAI's <c>reasoning_effort</c>, when sent.</summary>
    public string? ReasoningEffort { get; init; }

    /// <summary>Ollama's <c>keep_alive</c> as sent (a duration string or the raw JSON number).</summary>
    public string? KeepAlive { get; init; }

    /// <summary>Ollama's whole <c>options</c> object as raw JSON, every entry included.</summary>
    public string? OptionsJson { get; init; }

    /// <summary>Embedding inputs (<c>/api/embed</c>, <c>/v1/embeddings</c>).</summary>
    public IReadOnlyList<string> Inputs { get; init; } = [];

    /// <summary>The request body exactly as received (UTF-8 text).</summary>
    public string? RawBody { get; init; }

    /// <summary>True when any message carries an image.</summary>
    public bool HasImages => Messages.Any(m => m.Images.Count > 0);
}
