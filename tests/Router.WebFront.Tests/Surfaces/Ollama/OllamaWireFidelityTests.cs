using System.Text.Json;
using System.Text.RegularExpressions;
using static Router.WebFront.Tests.Surfaces.Ollama.OllamaHttp;

namespace Router.WebFront.Tests.Surfaces.Ollama;

/// <summary>The exact NDJSON lines of tool calls and thinking on the Ollama surface, read with a plain HTTP client.</summary>
[Collection(OllamaFidelityCollection.Name)]
public sealed partial class OllamaWireFidelityTests(OllamaFidelityFixture fixture)
{
    private const string WeatherTool =
        """{"type":"function","function":{"name":"get_weather","description":"The weather in a city","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}""";

    [Fact]
    public async Task A_streamed_tool_call_is_one_line_with_the_whole_call_and_its_arguments_as_an_object()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var body = $$"""{"model":"llama3.2","messages":[{"role":"user","content":"Weather in Oslo? {{nonce}}"}],"tools":[{{WeatherTool}}]}""";
        using var response = await PostAsync(fixture.Http, "/api/chat", body);

        Assert.Equal(200, (int)response.StatusCode);
        var (raw, lines) = await ReadLinesAsync(response);
        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        Assert.Equal("""{"city":"value"}""", Assert.Single(simulated.AnsweredToolCalls).ArgumentsJson);

        var rawLines = Normalize(raw).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(rawLines.Length == 2, raw);
        Assert.Equal(
            """{"model":"llama3.2","created_at":"<t>","message":{"role":"assistant","content":"","tool_calls":[{"id":"<id>","function":{"index":0,"name":"get_weather","arguments":{"city":"value"}}}]},"done":false}""",
            rawLines[0]);
        Assert.StartsWith("""{"model":"llama3.2","created_at":"<t>","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","total_duration":""", rawLines[1]);
        Assert.Equal(2, lines.Count);
    }

    [Fact]
    public async Task A_tool_call_without_streaming_is_in_the_one_answer_object()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var body = $$"""{"model":"auto","messages":[{"role":"user","content":"Weather in Oslo? {{nonce}}"}],"tools":[{{WeatherTool}}],"stream":false}""";
        using var response = await PostAsync(fixture.Http, "/api/chat", body);

        Assert.Equal(200, (int)response.StatusCode);
        var raw = await response.Content.ReadAsStringAsync(Timeouts.Token());
        await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        Assert.StartsWith(
            """{"model":"llama3.2","created_at":"<t>","message":{"role":"assistant","content":"","tool_calls":[{"id":"<id>","function":{"index":0,"name":"get_weather","arguments":{"city":"value"}}}]},"done":true,"done_reason":"stop","total_duration":""",
            Normalize(raw));
        Assert.DoesNotContain('\n', raw);
    }

    [Theory]
    [InlineData("/api/chat", true)]
    [InlineData("/api/generate", false)]
    public async Task Thinking_streams_in_its_own_field_and_never_in_the_content(string path, bool chat)
    {
        var nonce = Guid.NewGuid().ToString("N");
        var prompt = $"Think {nonce} [[sim:tokens=3,thinking=2]]";
        var body = chat
            ? $$"""{"model":"llama3.2","messages":[{"role":"user","content":"{{prompt}}"}],"think":true}"""
            : $$"""{"model":"llama3.2","prompt":"{{prompt}}","think":"high"}""";
        using var response = await PostAsync(fixture.Http, path, body);

        Assert.Equal(200, (int)response.StatusCode);
        var (raw, lines) = await ReadLinesAsync(response);
        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        Assert.Equal("Let me ", simulated.Thinking);
        Assert.Equal(chat ? "true" : "high", simulated.Content.Think);

        // Chunks may gather several steps under load (thinking and text in one line), so lines are matched by shape.
        var shape = new Regex(chat
            ? """^\{"model":"llama3\.2","created_at":"<t>","message":\{"role":"assistant","content":"[^"]*"(,"thinking":"[^"]+")?\},"done":false\}$"""
            : """^\{"model":"llama3\.2","created_at":"<t>","response":"[^"]*"(,"thinking":"[^"]+")?,"done":false\}$""");
        var rawLines = Normalize(raw).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(rawLines[..^1], line => Assert.Matches(shape, line));
        Assert.Contains(rawLines, line => line.Contains("\"thinking\":\"Let ", StringComparison.Ordinal));

        var thinking = lines.Select(l => Field(l, chat, "thinking")).ToList();
        var content = lines.Select(l => Field(l, chat, chat ? "content" : "response")).ToList();
        Assert.Equal(simulated.Thinking, string.Concat(thinking));
        Assert.Equal(simulated.Text, string.Concat(content));
        Assert.DoesNotContain("Let", string.Concat(content));
        var firstText = content.FindIndex(c => c.Length > 0);
        Assert.True(thinking.FindLastIndex(t => t.Length > 0) <= firstText, "thinking comes before the answer's text");
    }

    [Fact]
    public async Task An_answer_without_streaming_carries_its_thinking_apart_from_its_text()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var body = $$"""{"model":"auto","prompt":"Think {{nonce}} [[sim:tokens=3,thinking=2]]","think":true,"stream":false}""";
        using var response = await PostAsync(fixture.Http, "/api/generate", body);

        Assert.Equal(200, (int)response.StatusCode);
        var raw = await response.Content.ReadAsStringAsync(Timeouts.Token());
        await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        Assert.StartsWith(
            """{"model":"llama3.2","created_at":"<t>","response":"The quick brown ","thinking":"Let me ","done":true,"done_reason":"stop","total_duration":""",
            Normalize(raw));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_backend_refusal_is_a_400_with_the_backends_reason(bool stream)
    {
        var nonce = Guid.NewGuid().ToString("N");
        var body = $$"""
            {"model":"{{OllamaFidelityFixture.ThinkingOnlyModel}}","messages":[{"role":"user","content":"Weather? {{nonce}}"}],
             "tools":[{{WeatherTool}}],"stream":{{(stream ? "true" : "false")}}}
            """;
        using var response = await PostAsync(fixture.Http, "/api/chat", body);

        var message = await AssertErrorBodyAsync(response, 400);
        Assert.Contains("does not support tools", message, StringComparison.Ordinal);
        Assert.Equal(400, (await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event)).StatusCode);
    }

    private static string Field(JsonElement line, bool chat, string name)
    {
        var holder = chat ? line.GetProperty("message") : line;
        return holder.TryGetProperty(name, out var value) ? value.GetString()! : "";
    }

    /// <summary>The line with its timestamp and tool-call ids (the router's own) replaced by placeholders.</summary>
    private static string Normalize(string raw) =>
        ToolCallId().Replace(CreatedAt().Replace(raw, "\"created_at\":\"<t>\""), "\"id\":\"<id>\"");

    [GeneratedRegex("\"created_at\":\"[^\"]+\"")]
    private static partial Regex CreatedAt();

    [GeneratedRegex("\"id\":\"[A-Za-z0-9_-]+\"")]
    private static partial Regex ToolCallId();
}
