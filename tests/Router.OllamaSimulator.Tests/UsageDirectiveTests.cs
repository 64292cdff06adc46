namespace Router.OllamaSimulator.Tests;

/// <summary><c>[[sim:usage=none]]</c>: an answer without token counts, as some servers send it.</summary>
public sealed class UsageDirectiveTests : SimulatorTestBase
{
    [Fact]
    public void The_directive_parses_and_other_values_are_ignored()
    {
        Assert.True(SimDirectives.Parse("x [[sim:usage=none]]").OmitUsage);
        Assert.False(SimDirectives.Parse("x [[sim:usage=all]]").OmitUsage);
    }

    [Fact]
    public async Task Ollama_streams_end_without_counts_and_with_them_otherwise()
    {
        var (status, body) = await PostAsync("/api/chat", """{"model":"llama3.2","messages":[{"role":"user","content":"hi [[sim:usage=none]]"}]}""");
        Assert.Equal(200, status);
        var last = NdjsonLines(body)[^1];
        Assert.True(last.GetProperty("done").GetBoolean());
        Assert.False(last.TryGetProperty("prompt_eval_count", out _));
        Assert.False(last.TryGetProperty("eval_count", out _));

        var (_, counted) = await PostAsync("/api/chat", """{"model":"llama3.2","messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(5, NdjsonLines(counted)[^1].GetProperty("eval_count").GetInt32());
    }

    [Fact]
    public async Task OpenAI_sends_no_usage_even_when_asked()
    {
        var (status, stream) = await PostAsync("/v1/chat/completions",
            """{"model":"llama3.2","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi [[sim:usage=none]]"}]}""");
        Assert.Equal(200, status);
        Assert.DoesNotContain("\"usage\"", stream, StringComparison.Ordinal);
        Assert.Contains("data: [DONE]", stream, StringComparison.Ordinal);

        var (_, whole) = await PostAsync("/v1/chat/completions", """{"model":"llama3.2","messages":[{"role":"user","content":"hi [[sim:usage=none]]"}]}""");
        Assert.DoesNotContain("\"usage\"", whole, StringComparison.Ordinal);

        var (_, counted) = await PostAsync("/v1/chat/completions",
            """{"model":"llama3.2","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}""");
        Assert.Contains("\"usage\"", counted, StringComparison.Ordinal);
    }
}
