using System.Text.Json;
using Router.Grains.Interfaces;
using static Router.WebFront.Surfaces.OpenAi.ChatJson;

namespace Router.WebFront.Surfaces.OpenAi;

/// <summary>Reads the sampling and reasoning parameters into <see cref="GenerationSettings"/>, within OpenAI's ranges.</summary>
internal static class ChatSettingsReader
{
    public static GenerationSettings? Read(JsonElement root)
    {
        float? Float(string name, double min, double max) => Member(root, name) is var v && !IsAbsent(v) ? Number(v, name, min, max) : null;
        long? Long(string name, long min, long max) => Member(root, name) is var v && !IsAbsent(v) ? Integer(v, name, min, max) : null;

        var maxTokens = Long("max_tokens", 1, int.MaxValue);
        var maxCompletionTokens = Long("max_completion_tokens", 1, int.MaxValue);
        if (maxTokens is not null && maxCompletionTokens is not null && maxTokens != maxCompletionTokens)
        {
            throw Refuse(OpenAiError.InvalidValue("max_tokens", "'max_tokens' and 'max_completion_tokens' differ; send one of them."));
        }

        var settings = new GenerationSettings(
            Temperature: Float("temperature", 0, 2),
            TopP: Float("top_p", 0, 1),
            MaxTokens: (int?)(maxCompletionTokens ?? maxTokens),
            Stop: Stop(Member(root, "stop")),
            Seed: Long("seed", long.MinValue, long.MaxValue),
            TopK: (int?)Long("top_k", 1, int.MaxValue),
            FrequencyPenalty: Float("frequency_penalty", -2, 2),
            PresencePenalty: Float("presence_penalty", -2, 2),
            Reasoning: Reasoning(Member(root, "reasoning_effort")));
        return settings == new GenerationSettings() ? null : settings;
    }

    private static string[]? Stop(JsonElement stop)
    {
        if (IsAbsent(stop)) return null;
        if (stop.ValueKind == JsonValueKind.String) return [stop.GetString()!];
        if (stop.ValueKind != JsonValueKind.Array) throw Refuse(OpenAiError.InvalidType("stop", "a string or an array of up to 4 strings"));
        if (stop.GetArrayLength() > 4) throw Refuse(OpenAiError.InvalidValue("stop", "'stop' takes at most 4 sequences."));
        var sequences = stop.EnumerateArray().Select((s, i) => String(s, $"stop[{i}]")).ToArray();
        return sequences.Length > 0 ? sequences : null;
    }

    /// <summary>
    /// OpenAI's efforts in the router's terms: <c>none</c> switches thinking off, and <c>minimal</c>
    /// (which no open backend has) is the lowest effort they know, <c>low</c>.
    /// </summary>
    private static string? Reasoning(JsonElement effort) => IsAbsent(effort) ? null : String(effort, "reasoning_effort") switch
    {
        "none" => "off",
        "minimal" or "low" => "low",
        "medium" => "medium",
        "high" => "high",
        var other => throw Refuse(OpenAiError.InvalidValue("reasoning_effort", $"'reasoning_effort' must be none, minimal, low, medium or high, not '{other}'.")),
    };
}
