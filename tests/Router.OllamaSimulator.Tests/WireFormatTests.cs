using System.Globalization;
using System.Text.Json;

namespace Router.OllamaSimulator.Tests;

/// <summary>Raw HTTP checks of the NDJSON framing and field names, independent of any client library.</summary>
public sealed class WireFormatTests : SimulatorTestBase
{
    [Fact]
    public async Task Streaming_chat_is_ndjson_with_ollama_field_names()
    {
        using var http = CreateHttpClient();
        using var response = await http.PostAsync(
            "/api/chat",
            GenerateAndInfoTests.Json("""{"model":"deepseek-r1","messages":[{"role":"user","content":"x \"quoted\" [[sim:tokens=2]]"}]}"""));

        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.EndsWith("\n", body, StringComparison.Ordinal);
        var lines = body.TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);

        using var token = JsonDocument.Parse(lines[0]);
        Assert.Equal(["model", "created_at", "message", "done"], token.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("deepseek-r1", token.RootElement.GetProperty("model").GetString());
        Assert.Equal("assistant", token.RootElement.GetProperty("message").GetProperty("role").GetString());
        Assert.Equal("The ", token.RootElement.GetProperty("message").GetProperty("content").GetString());
        var createdAt = token.RootElement.GetProperty("created_at").GetString()!;
        Assert.EndsWith("Z", createdAt, StringComparison.Ordinal);
        Assert.Contains('.', createdAt);
        var parsed = DateTimeOffset.Parse(createdAt, CultureInfo.InvariantCulture);
        Assert.True(Math.Abs((DateTimeOffset.UtcNow - parsed).TotalMinutes) < 5, $"created_at {createdAt} is not current UTC");

        using var final = JsonDocument.Parse(lines[2]);
        Assert.Equal(
            ["model", "created_at", "message", "done", "done_reason", "total_duration", "load_duration", "prompt_eval_count", "prompt_eval_duration", "eval_count", "eval_duration"],
            final.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.True(final.RootElement.GetProperty("done").GetBoolean());
        Assert.Equal(2, final.RootElement.GetProperty("eval_count").GetInt32());
    }

    [Fact]
    public async Task Stream_false_generate_is_a_single_json_object()
    {
        using var http = CreateHttpClient();
        using var response = await http.PostAsync("/api/generate", GenerateAndInfoTests.Json("""{"model":"llama3.2","prompt":"hello world","stream":false}"""));

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(SimulatedText.Text(5), doc.RootElement.GetProperty("response").GetString());
        Assert.True(doc.RootElement.GetProperty("done").GetBoolean());
        Assert.Equal(2, doc.RootElement.GetProperty("prompt_eval_count").GetInt32());
        Assert.Equal(JsonValueKind.Array, doc.RootElement.GetProperty("context").ValueKind);
    }

    [Fact]
    public async Task Malformed_body_is_a_400_with_an_error_field()
    {
        using var http = CreateHttpClient();
        using var response = await http.PostAsync("/api/chat", GenerateAndInfoTests.Json("{not json"));

        Assert.Equal(400, (int)response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(string.IsNullOrEmpty(doc.RootElement.GetProperty("error").GetString()));
    }
}
