using System.Text.Json;

namespace Router.OllamaSimulator.Tests.OpenAI;

/// <summary>Raw server-sent-event reading for the OpenAI endpoint, independent of any client library.</summary>
internal static class OpenAIEvents
{
    public const string Done = "[DONE]";

    /// <summary>The <c>data:</c> payloads of a whole SSE body, in order; every event must be one <c>data:</c> line.</summary>
    public static List<string> Parse(string body)
    {
        Assert.EndsWith("\n\n", body, StringComparison.Ordinal);
        var events = body[..^2].Split("\n\n");
        return [.. events.Select(e =>
        {
            Assert.StartsWith("data: ", e, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', e);
            return e["data: ".Length..];
        })];
    }

    public static JsonElement Delta(JsonElement chunk) => chunk.GetProperty("choices")[0].GetProperty("delta");

    public static string? FinishReason(JsonElement chunk) => chunk.GetProperty("choices")[0].GetProperty("finish_reason").GetString();

    public static StringContent Body(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    public static string ChatBody(string message, bool stream, string extra = "") =>
        $$"""{"model":"llama3.2","messages":[{"role":"system","content":"be brief"},{"role":"user","content":{{JsonSerializer.Serialize(message)}}}],"stream":{{(stream ? "true" : "false")}}{{extra}}}""";
}
