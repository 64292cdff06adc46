namespace Router.OllamaSimulator;

/// <summary>
/// One request seen by the simulator. Mutable fields are written only by the request's own loop and read by
/// tests after <c>SimulatorJournal.WaitForAsync</c> has observed the terminal outcome.
/// </summary>
public sealed class SimulatedRequest
{
    private int _tokensSent;
    private int _outcome;

    internal SimulatedRequest(
        long id, SimulatedEndpoint endpoint, string model, string? lastUserMessage, bool stream, SimDirectives directives, int promptEvalCount,
        SimulatedParameters? parameters = null, string? apiKey = null, SimulatedRequestContent? content = null)
    {
        Content = content ?? SimulatedRequestContent.Empty;
        Parameters = parameters ?? SimulatedParameters.None;
        ApiKey = apiKey;
        Id = id;
        Endpoint = endpoint;
        Model = model;
        LastUserMessage = lastUserMessage;
        Stream = stream;
        Directives = directives;
        PromptEvalCount = promptEvalCount;
        StartedAt = DateTimeOffset.UtcNow;
    }

    /// <summary>Sequential id, starting at 1 per simulator instance.</summary>
    public long Id { get; }

    public SimulatedEndpoint Endpoint { get; }

    /// <summary>The model name exactly as the client sent it.</summary>
    public string Model { get; }

    /// <summary>The last user message (chat) or the prompt (generate).</summary>
    public string? LastUserMessage { get; }

    public bool Stream { get; }

    public SimDirectives Directives { get; }

    public int PromptEvalCount { get; }

    /// <summary>The sampling parameters the client sent (OpenAI's top-level fields, Ollama's <c>options</c>).</summary>
    public SimulatedParameters Parameters { get; }

    /// <summary>The bearer token of the <c>Authorization</c> header, or null when none was sent.</summary>
    public string? ApiKey { get; }

    /// <summary>Everything else the request carried: messages, tools, format, think, options, raw body.</summary>
    public SimulatedRequestContent Content { get; }

    /// <summary>The whole conversation as received (see <see cref="SimulatedMessage"/>).</summary>
    public IReadOnlyList<SimulatedMessage> Messages => Content.Messages;

    /// <summary>The tool definitions the request offered.</summary>
    public IReadOnlyList<SimulatedTool> Tools => Content.Tools;

    /// <summary>Ollama's <c>format</c> or OpenAI's <c>response_format</c>, null when not sent.</summary>
    public SimulatedResponseFormat? ResponseFormat => Content.ResponseFormat;

    /// <summary>The request body exactly as received.</summary>
    public string? RawBody => Content.RawBody;

    /// <summary>The planned answer, once the request was accepted; null while refused or not yet planned.</summary>
    internal Generation.AnswerScript? Script { get; set; }

    /// <summary>How the answer ended, whatever the wire: <c>stop</c>, <c>length</c> or <c>tool_calls</c> (which Ollama's <c>done_reason</c> says as <c>stop</c>); null until it ended normally.</summary>
    public string? FinishReason { get; internal set; }

    /// <summary>The reasoning sent so far (a thinking answer's <c>thinking</c> / <c>reasoning_content</c>).</summary>
    public string Thinking => Script?.ThinkingText(TokensSent) ?? string.Empty;

    /// <summary>The tool calls answered so far, with the ids and arguments the client received.</summary>
    public IReadOnlyList<SimulatedToolCall> AnsweredToolCalls => Script?.ToolCallsIn(TokensSent) ?? [];
    /// <summary>Steps written to the response so far: thinking and text tokens, and one per tool call.</summary>
    public int TokensSent => Volatile.Read(ref _tokensSent);

    /// <summary>The answer text sent so far: for a plain answer the first <see cref="TokensSent"/> tokens of <see cref="SimulatedText"/>.</summary>
    public string Text => Script?.ContentText(TokensSent) ?? SimulatedText.Text(TokensSent);

    public SimulatedOutcome Outcome => (SimulatedOutcome)Volatile.Read(ref _outcome);

    /// <summary>True once <see cref="Outcome"/> is no longer <see cref="SimulatedOutcome.InProgress"/>.</summary>
    public bool IsTerminal => Outcome != SimulatedOutcome.InProgress;

    /// <summary>HTTP status answered (200 for streams, even when they were later cut or abandoned).</summary>
    public int StatusCode { get; private set; }

    /// <summary>True when a <c>stall</c> directive took effect (the stream stopped and waited for the client to leave).</summary>
    public bool Stalled { get; internal set; }

    public DateTimeOffset StartedAt { get; }

    public DateTimeOffset? FirstTokenAt { get; private set; }

    public DateTimeOffset? EndedAt { get; private set; }

    internal void TokenSent()
    {
        if (_tokensSent == 0)
        {
            FirstTokenAt = DateTimeOffset.UtcNow;
        }

        Volatile.Write(ref _tokensSent, _tokensSent + 1);
    }

    internal void SetTokensSent(int count)
    {
        if (count > 0 && FirstTokenAt is null)
        {
            FirstTokenAt = DateTimeOffset.UtcNow;
        }

        Volatile.Write(ref _tokensSent, count);
    }

    /// <summary>Sets the terminal outcome once; later calls are ignored so the first cause wins.</summary>
    internal bool TryFinish(SimulatedOutcome outcome, int statusCode)
    {
        if (Outcome != SimulatedOutcome.InProgress)
        {
            return false;
        }

        StatusCode = statusCode;
        EndedAt = DateTimeOffset.UtcNow;
        return Interlocked.CompareExchange(ref _outcome, (int)outcome, (int)SimulatedOutcome.InProgress) == (int)SimulatedOutcome.InProgress;
    }

    public override string ToString() =>
        $"#{Id} {Endpoint} model={Model} stream={Stream} outcome={Outcome} status={StatusCode} tokens={TokensSent}{(Stalled ? " stalled" : string.Empty)}";
}
