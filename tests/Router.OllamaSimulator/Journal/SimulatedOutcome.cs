namespace Router.OllamaSimulator;

/// <summary>How a simulated request ended.</summary>
public enum SimulatedOutcome
{
    /// <summary>Still being answered.</summary>
    InProgress = 0,

    /// <summary>The final <c>done</c> object (or the whole non-streamed answer) was written.</summary>
    Completed,

    /// <summary>The client went away (RequestAborted fired) before the final object was written, stalled or not.</summary>
    ClientDisconnected,

    /// <summary>An error was answered: an error status (unknown model, bad body, <c>status</c> directive) or, with status 200, a mid-stream <c>{"error"}</c> line (<c>fail</c> directive); see <see cref="SimulatedRequest.StatusCode"/>.</summary>
    Faulted,

    /// <summary>The connection was aborted on purpose by a <c>cut</c> directive.</summary>
    Cut,

    /// <summary>The simulator itself was shutting down while the request was still open.</summary>
    ServerStopped,
}

/// <summary>Which endpoint a request hit.</summary>
public enum SimulatedEndpoint
{
    /// <summary>Ollama's <c>/api/chat</c>.</summary>
    Chat,

    /// <summary>Ollama's <c>/api/generate</c>.</summary>
    Generate,

    /// <summary>OpenAI's <c>/v1/chat/completions</c>.</summary>
    ChatCompletions,

    /// <summary>Ollama's <c>/api/embed</c>.</summary>
    Embed,

    /// <summary>OpenAI's <c>/v1/embeddings</c>.</summary>
    Embeddings,
}
