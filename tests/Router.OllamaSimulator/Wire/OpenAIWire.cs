using System.Text.Json;
using System.Text.Json.Serialization;

namespace Router.OllamaSimulator.Wire;

// The request fields of POST /v1/chat/completions the simulator acts on or records; the rest
// (tools, response_format, n, user...) is accepted and ignored.

internal sealed class ChatCompletionRequestBody
{
    public string? Model { get; set; }

    public List<ChatCompletionMessageBody>? Messages { get; set; }

    public bool? Stream { get; set; }

    public StreamOptionsBody? StreamOptions { get; set; }

    public double? Temperature { get; set; }

    public double? TopP { get; set; }

    public int? MaxTokens { get; set; }

    public int? MaxCompletionTokens { get; set; }

    public JsonElement? Stop { get; set; }

    public long? Seed { get; set; }

    public SimulatedParameters ToParameters() => new(Temperature, TopP, MaxCompletionTokens ?? MaxTokens, StopWords.Read(Stop), Seed);
}

internal sealed class StreamOptionsBody
{
    public bool? IncludeUsage { get; set; }
}

internal sealed class ChatCompletionMessageBody
{
    public string? Role { get; set; }

    /// <summary>A string, or an array of parts of which the <c>text</c> ones count.</summary>
    public JsonElement? Content { get; set; }

    public string? Text()
    {
        if (Content is not { } content) return null;
        if (content.ValueKind == JsonValueKind.String) return content.GetString();
        if (content.ValueKind != JsonValueKind.Array) return null;
        var parts = content.EnumerateArray()
            .Where(p => p.ValueKind == JsonValueKind.Object && p.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
            .Select(p => p.GetProperty("text").GetString());
        return string.Concat(parts);
    }
}

internal sealed record ModelListBody(string Object, IReadOnlyList<ModelListEntry> Data);

internal sealed record ModelListEntry(string Id, string Object, long Created, string OwnedBy);

/// <summary><c>stop</c> is a string or an array of strings in both APIs.</summary>
internal static class StopWords
{
    public static IReadOnlyList<string>? Read(JsonElement? stop) => stop switch
    {
        { ValueKind: JsonValueKind.String } s => [s.GetString()!],
        { ValueKind: JsonValueKind.Array } a => [.. a.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)],
        _ => null,
    };
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ChatCompletionRequestBody))]
[JsonSerializable(typeof(ModelListBody))]
internal sealed partial class OpenAIJsonContext : JsonSerializerContext;
