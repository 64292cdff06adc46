using System.Net;
using System.Text.Json;

namespace Router.OllamaSimulator.Tests.OpenAI;

/// <summary>Raw HTTP checks of <c>/v1/chat/completions</c> and <c>/v1/models</c>: framing, field names, counts.</summary>
public sealed class ChatCompletionsTests : SimulatorTestBase
{
    [Fact]
    public async Task Streaming_sends_the_role_then_content_deltas_then_the_finish_reason_then_usage_then_done()
    {
        using var http = CreateHttpClient();
        using var response = await http.PostAsync("/v1/chat/completions", OpenAIEvents.Body(OpenAIEvents.ChatBody(
            "tell me [[sim:tokens=3]]", stream: true, extra: ""","stream_options":{"include_usage":true}""")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = OpenAIEvents.Parse(await response.Content.ReadAsStringAsync());

        // role, 3 content deltas, finish, usage, [DONE]
        Assert.Equal(7, events.Count);
        Assert.Equal(OpenAIEvents.Done, events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e).RootElement).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.All(chunks, c => Assert.Equal("llama3.2", c.GetProperty("model").GetString()));
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());

        Assert.Equal("assistant", OpenAIEvents.Delta(chunks[0]).GetProperty("role").GetString());
        Assert.Equal(SimulatedText.Text(3), string.Concat(chunks[1..4].Select(c => OpenAIEvents.Delta(c).GetProperty("content").GetString())));
        Assert.All(chunks[..4], c => Assert.Null(OpenAIEvents.FinishReason(c)));
        Assert.Equal("stop", OpenAIEvents.FinishReason(chunks[4]));

        var usage = chunks[5];
        Assert.Equal(0, usage.GetProperty("choices").GetArrayLength());
        Assert.Equal(5, usage.GetProperty("usage").GetProperty("prompt_tokens").GetInt32()); // "be brief" + "tell me [[sim:tokens=3]]"
        Assert.Equal(3, usage.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal(8, usage.GetProperty("usage").GetProperty("total_tokens").GetInt32());

        var recorded = await Journal.WaitForMessageAsync("tell me", Timeout);
        Assert.Equal(SimulatedEndpoint.ChatCompletions, recorded.Endpoint);
        Assert.Equal(SimulatedOutcome.Completed, recorded.Outcome);
        Assert.True(recorded.Stream);
        Assert.Equal(3, recorded.TokensSent);
    }

    [Fact]
    public async Task Streaming_without_include_usage_has_no_usage_chunk()
    {
        using var http = CreateHttpClient();
        using var response = await http.PostAsync("/v1/chat/completions", OpenAIEvents.Body(OpenAIEvents.ChatBody("no usage [[sim:tokens=2]]", stream: true)));
        var events = OpenAIEvents.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(5, events.Count);
        Assert.Equal(OpenAIEvents.Done, events[^1]);
        var last = JsonDocument.Parse(events[^2]).RootElement;
        Assert.Equal("stop", OpenAIEvents.FinishReason(last));
        Assert.False(last.TryGetProperty("usage", out _));
    }

    [Fact]
    public async Task Non_streaming_is_one_chat_completion_with_usage_and_reads_content_parts()
    {
        using var http = CreateHttpClient();
        using var response = await http.PostAsync("/v1/chat/completions", OpenAIEvents.Body(
            """{"model":"qwen2.5-coder","messages":[{"role":"user","content":[{"type":"text","text":"parts "},{"type":"text","text":"[[sim:tokens=4]]"}]}]}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("chat.completion", root.GetProperty("object").GetString());
        Assert.Equal("qwen2.5-coder", root.GetProperty("model").GetString());
        var choice = root.GetProperty("choices")[0];
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        Assert.Equal(SimulatedText.Text(4), choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(2, root.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(4, root.GetProperty("usage").GetProperty("completion_tokens").GetInt32());

        var recorded = await Journal.WaitForMessageAsync("parts [[sim:tokens=4]]", Timeout);
        Assert.False(recorded.Stream);
        Assert.Equal(4, recorded.TokensSent);
    }

    [Fact]
    public async Task Sampling_parameters_are_journaled_and_max_completion_tokens_cuts_the_answer_with_length()
    {
        using var http = CreateHttpClient();
        using var response = await http.PostAsync("/v1/chat/completions", OpenAIEvents.Body(OpenAIEvents.ChatBody(
            "params [[sim:tokens=5]]", stream: true, extra: ""","temperature":0.25,"top_p":0.5,"max_completion_tokens":2,"stop":["END","STOP"],"seed":42""")));
        var events = OpenAIEvents.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("length", OpenAIEvents.FinishReason(JsonDocument.Parse(events[^2]).RootElement));

        var recorded = await Journal.WaitForMessageAsync("params", Timeout);
        Assert.Equal(2, recorded.TokensSent);
        Assert.Equal(0.25, recorded.Parameters.Temperature);
        Assert.Equal(0.5, recorded.Parameters.TopP);
        Assert.Equal(2, recorded.Parameters.MaxTokens);
        Assert.Equal(["END", "STOP"], recorded.Parameters.Stop);
        Assert.Equal(42, recorded.Parameters.Seed);

        using var legacy = await http.PostAsync("/v1/chat/completions", OpenAIEvents.Body(OpenAIEvents.ChatBody(
            "legacy", stream: false, extra: ""","max_tokens":3,"stop":"END" """)));
        Assert.Equal(HttpStatusCode.OK, legacy.StatusCode);
        var old = await Journal.WaitForMessageAsync("legacy", Timeout);
        Assert.Equal(3, old.Parameters.MaxTokens);
        Assert.Equal(["END"], old.Parameters.Stop);
        Assert.Null(old.Parameters.Temperature);
    }

    [Fact]
    public async Task Models_are_listed_with_openai_field_names()
    {
        using var http = CreateHttpClient();
        var root = JsonDocument.Parse(await http.GetStringAsync("/v1/models")).RootElement;

        Assert.Equal("list", root.GetProperty("object").GetString());
        Assert.Equal(["llama3.2", "qwen2.5-coder", "deepseek-r1"], root.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        Assert.All(root.GetProperty("data").EnumerateArray(), m => Assert.Equal("model", m.GetProperty("object").GetString()));
        Assert.All(root.GetProperty("data").EnumerateArray(), m => Assert.True(m.GetProperty("created").GetInt64() > 0));
    }
}
