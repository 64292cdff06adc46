namespace Router.OllamaSimulator;

/// <summary>
/// The generation parameters a request carried, as received: OpenAI's <c>temperature</c>, <c>top_p</c>,
/// <c>max_completion_tokens</c> (or the older <c>max_tokens</c>), <c>stop</c>, <c>seed</c>; Ollama's
/// <c>options.temperature</c>, <c>top_p</c>, <c>num_predict</c>, <c>stop</c>, <c>seed</c>. Null when not sent.
/// </summary>
public sealed record SimulatedParameters(double? Temperature, double? TopP, int? MaxTokens, IReadOnlyList<string>? Stop, long? Seed)
{
    public static SimulatedParameters None { get; } = new(null, null, null, null, null);
}
