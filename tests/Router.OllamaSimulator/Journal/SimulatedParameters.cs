namespace Router.OllamaSimulator;

/// <summary>
/// The generation parameters a request carried, as received: OpenAI's <c>temperature</c>, <c>top_p</c>,
/// <c>max_completion_tokens</c> (or the older <c>max_tokens</c>), <c>stop</c>, <c>seed</c>, <c>top_k</c>,
/// <c>frequency_penalty</c>, <c>presence_penalty</c>; Ollama's <c>options.temperature</c>, <c>top_p</c>,
/// <c>num_predict</c>, <c>stop</c>, <c>seed</c>, <c>top_k</c>, <c>frequency_penalty</c>, <c>presence_penalty</c>.
/// Null when not sent. Every other Ollama option is in <see cref="SimulatedRequestContent.OptionsJson"/>.
/// </summary>
/// <param name="MaxTokensField">Which field set <see cref="MaxTokens"/>: <c>max_completion_tokens</c>, <c>max_tokens</c> or <c>num_predict</c>.</param>
public sealed record SimulatedParameters(
    double? Temperature,
    double? TopP,
    int? MaxTokens,
    IReadOnlyList<string>? Stop,
    long? Seed,
    int? TopK = null,
    double? FrequencyPenalty = null,
    double? PresencePenalty = null,
    string? MaxTokensField = null)
{
    public static SimulatedParameters None { get; } = new(null, null, null, null, null);
}
