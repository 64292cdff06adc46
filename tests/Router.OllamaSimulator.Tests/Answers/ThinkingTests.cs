using System.Text.Json;
using OllamaSharp.Models.Chat;
using Router.OllamaSimulator.Tests.OpenAI;

namespace Router.OllamaSimulator.Tests.Answers;

/// <summary>A thinking answer sends its reasoning apart from its text, before it, in each API's own field.</summary>
public sealed class ThinkingTests : SimulatorTestBase
{
    protected override SimulatorOptions CreateOptions()
    {
        var options = base.CreateOptions();
        options.Models = ["llama3.2", "deepseek-r1", "qwen3"];
        options.ModelProfiles["qwen3"] = new SimulatedModelProfile { ThinksByDefault = true };
        return options;
    }

    [Fact]
    public async Task Ollama_chat_streams_thinking_chunks_before_content()
    {
        var (status, body) = await PostAsync("/api/chat",
            """{"model":"deepseek-r1","think":true,"messages":[{"role":"user","content":"why? [[sim:thinking=3,tokens=2]]"}]}""");

        Assert.Equal(200, status);
        var lines = NdjsonLines(body);
        Assert.Equal(6, lines.Count);
        var messages = lines.Select(l => l.GetProperty("message")).ToList();
        Assert.Equal(SimulatedText.Thinking(3), string.Concat(messages[..3].Select(m => m.GetProperty("thinking").GetString())));
        Assert.All(messages[..3], m => Assert.Equal("", m.GetProperty("content").GetString()));
        Assert.Equal(SimulatedText.Text(2), string.Concat(messages[3..5].Select(m => m.GetProperty("content").GetString())));
        Assert.All(messages[3..], m => Assert.False(m.TryGetProperty("thinking", out _)));
        Assert.Equal("stop", lines[^1].GetProperty("done_reason").GetString());
        Assert.Equal(5, lines[^1].GetProperty("eval_count").GetInt32());

        var recorded = await Journal.WaitForMessageAsync("why?", Timeout);
        Assert.Equal("true", recorded.Content.Think);
        Assert.Equal(SimulatedText.Thinking(3), recorded.Thinking);
        Assert.Equal(SimulatedText.Text(2), recorded.Text);
    }

    [Fact]
    public async Task Ollama_plain_chat_and_generate_carry_the_whole_thinking_field()
    {
        var (_, chat) = await PostAsync("/api/chat",
            """{"model":"deepseek-r1","think":"high","stream":false,"messages":[{"role":"user","content":"plain [[sim:thinking=2,tokens=3]]"}]}""");
        var message = JsonDocument.Parse(chat).RootElement.GetProperty("message");
        Assert.Equal(SimulatedText.Thinking(2), message.GetProperty("thinking").GetString());
        Assert.Equal(SimulatedText.Text(3), message.GetProperty("content").GetString());

        var (_, generate) = await PostAsync("/api/generate",
            """{"model":"deepseek-r1","think":true,"stream":false,"prompt":"gen [[sim:thinking=2,tokens=3]]"}""");
        var root = JsonDocument.Parse(generate).RootElement;
        Assert.Equal(SimulatedText.Thinking(2), root.GetProperty("thinking").GetString());
        Assert.Equal(SimulatedText.Text(3), root.GetProperty("response").GetString());
    }

    [Fact]
    public async Task OllamaSharp_receives_thinking_apart_from_content()
    {
        using var client = CreateClient("deepseek-r1");
        var request = new ChatRequest { Model = "deepseek-r1", Think = true, Messages = [new Message(ChatRole.User, "sharp [[sim:thinking=4,tokens=3]]")] };
        var thinking = new System.Text.StringBuilder();
        var content = new System.Text.StringBuilder();
        await foreach (var chunk in client.ChatAsync(request))
        {
            thinking.Append(chunk?.Message.Thinking);
            content.Append(chunk?.Message.Content);
        }

        Assert.Equal(SimulatedText.Thinking(4), thinking.ToString());
        Assert.Equal(SimulatedText.Text(3), content.ToString());
    }

    [Fact]
    public async Task Think_on_a_model_without_thinking_is_refused_like_ollama()
    {
        var (status, body) = await PostAsync("/api/chat", """{"model":"llama3.2","think":true,"messages":[{"role":"user","content":"refuse me"}]}""");

        Assert.Equal(400, status);
        Assert.Equal("""{"error":"\"llama3.2\" does not support thinking"}""", body);
        var recorded = await Journal.WaitForMessageAsync("refuse me", Timeout);
        Assert.Equal(SimulatedOutcome.Faulted, recorded.Outcome);
    }

    [Fact]
    public async Task OpenAI_streams_reasoning_content_deltas_before_content_deltas_and_plain_has_message_reasoning_content()
    {
        var (_, body) = await PostAsync("/v1/chat/completions",
            """{"model":"deepseek-r1","stream":true,"reasoning_effort":"low","messages":[{"role":"user","content":"reason [[sim:thinking=2,tokens=2]]"}]}""");
        var chunks = OpenAIEvents.Parse(body)[..^1].Select(e => JsonDocument.Parse(e).RootElement).ToList();

        // role, 2 reasoning deltas, 2 content deltas, finish
        Assert.Equal(6, chunks.Count);
        var deltas = chunks.Select(OpenAIEvents.Delta).ToList();
        Assert.Equal(SimulatedText.Thinking(2), string.Concat(deltas[1..3].Select(d => d.GetProperty("reasoning_content").GetString())));
        Assert.All(deltas[1..3], d => Assert.False(d.TryGetProperty("content", out _)));
        Assert.Equal(SimulatedText.Text(2), string.Concat(deltas[3..5].Select(d => d.GetProperty("content").GetString())));
        Assert.All(deltas[3..], d => Assert.False(d.TryGetProperty("reasoning_content", out _)));

        var (_, plain) = await PostAsync("/v1/chat/completions",
            """{"model":"deepseek-r1","reasoning_effort":"medium","messages":[{"role":"user","content":"reason plain [[sim:thinking=2,tokens=2]]"}]}""");
        var message = JsonDocument.Parse(plain).RootElement.GetProperty("choices")[0].GetProperty("message");
        Assert.Equal(SimulatedText.Thinking(2), message.GetProperty("reasoning_content").GetString());
        Assert.Equal(SimulatedText.Text(2), message.GetProperty("content").GetString());
        Assert.Equal("medium", (await Journal.WaitForMessageAsync("reason plain", Timeout)).Content.ReasoningEffort);
    }

    [Fact]
    public async Task A_model_that_thinks_by_default_thinks_unless_told_not_to_and_others_never_do_unasked()
    {
        var (_, byDefault) = await PostAsync("/v1/chat/completions",
            """{"model":"qwen3","messages":[{"role":"user","content":"default [[sim:thinking=2,tokens=1]]"}]}""");
        Assert.Equal(SimulatedText.Thinking(2), JsonDocument.Parse(byDefault).RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("reasoning_content").GetString());

        var (_, off) = await PostAsync("/api/chat",
            """{"model":"qwen3","think":false,"stream":false,"messages":[{"role":"user","content":"off [[sim:thinking=2,tokens=1]]"}]}""");
        Assert.False(JsonDocument.Parse(off).RootElement.GetProperty("message").TryGetProperty("thinking", out _));

        var (_, unasked) = await PostAsync("/api/chat",
            """{"model":"deepseek-r1","stream":false,"messages":[{"role":"user","content":"unasked [[sim:thinking=2,tokens=1]]"}]}""");
        Assert.False(JsonDocument.Parse(unasked).RootElement.GetProperty("message").TryGetProperty("thinking", out _));
    }

    [Fact]
    public async Task A_token_limit_reached_while_thinking_ends_with_length_and_no_content()
    {
        var (_, body) = await PostAsync("/api/chat",
            """{"model":"deepseek-r1","think":true,"stream":false,"options":{"num_predict":3},"messages":[{"role":"user","content":"long think [[sim:thinking=5,tokens=4]]"}]}""");
        var root = JsonDocument.Parse(body).RootElement;
        Assert.Equal("length", root.GetProperty("done_reason").GetString());
        Assert.Equal(SimulatedText.Thinking(3), root.GetProperty("message").GetProperty("thinking").GetString());
        Assert.Equal("", root.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(3, root.GetProperty("eval_count").GetInt32());
    }
}
