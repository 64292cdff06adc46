using System.Text.Json;
using OpenAI.Chat;
using Router.OllamaSimulator.Tests.Answers;

namespace Router.OllamaSimulator.Tests.Journal;

/// <summary>The journal holds everything a request carried, so router tests can assert exactly what reached the model.</summary>
public sealed class RequestRecordingTests : SimulatorTestBase
{
    [Fact]
    public async Task Ollama_chat_records_the_conversation_tools_options_keep_alive_and_raw_body()
    {
        var body = $$"""
            {"model":"llama3.2","stream":false,"keep_alive":"10m","tools":[{{ToolCallTests.WeatherTool}}],
             "options":{"temperature":0.5,"top_k":40,"top_p":0.9,"num_predict":64,"num_ctx":8192,"repeat_penalty":1.1,"frequency_penalty":0.2,"presence_penalty":0.3,"seed":5,"stop":["END"]},
             "messages":[
              {"role":"system","content":"you are terse"},
              {"role":"user","content":"first question"},
              {"role":"assistant","content":"first answer","thinking":"I considered it"},
              {"role":"user","content":"second question [[sim:tool=none]]"}]}
            """;
        var (status, _) = await PostAsync("/api/chat", body);
        Assert.Equal(200, status);

        var recorded = await Journal.WaitForMessageAsync("second question", Timeout);
        Assert.Equal(
            [("system", "you are terse"), ("user", "first question"), ("assistant", "first answer"), ("user", "second question [[sim:tool=none]]")],
            recorded.Messages.Select(m => (m.Role, m.Content)));
        Assert.Equal("I considered it", recorded.Messages[2].Thinking);
        var tool = Assert.Single(recorded.Tools);
        Assert.Equal(("get_weather", "Weather of a city", "function"), (tool.Name, tool.Description, tool.Type));
        Assert.Equal("object", JsonDocument.Parse(tool.ParametersJson!).RootElement.GetProperty("type").GetString());
        Assert.Equal("10m", recorded.Content.KeepAlive);
        Assert.Equal(body, recorded.RawBody);

        var options = JsonDocument.Parse(recorded.Content.OptionsJson!).RootElement;
        Assert.Equal(8192, options.GetProperty("num_ctx").GetInt32());
        Assert.Equal(1.1, options.GetProperty("repeat_penalty").GetDouble());
        Assert.Equal(new SimulatedParameters(0.5, 0.9, 64, recorded.Parameters.Stop, 5, 40, 0.2, 0.3, "num_predict"), recorded.Parameters);
        Assert.Equal(["END"], recorded.Parameters.Stop);

        // The tool directive said none, so tools were offered and text came back.
        Assert.Equal("stop", recorded.FinishReason);
        Assert.Empty(recorded.AnsweredToolCalls);
    }

    [Fact]
    public async Task OpenAI_records_the_conversation_and_the_extra_sampling_fields()
    {
#pragma warning disable OPENAI001 // reasoning_effort is marked experimental in the client
        var options = new ChatCompletionOptions
        {
            Temperature = 0.4f,
            TopP = 0.8f,
            FrequencyPenalty = 0.1f,
            PresencePenalty = 0.2f,
            MaxOutputTokenCount = 50,
            Seed = 9,
            StopSequences = { "STOP" },
            ReasoningEffortLevel = ChatReasoningEffortLevel.Low,
        };
#pragma warning restore OPENAI001
        var client = CreateOpenAIClient("deepseek-r1");
        ChatCompletion answer = await client.CompleteChatAsync(
            [new SystemChatMessage("sys"), new UserChatMessage("q1"), new AssistantChatMessage("a1"), new UserChatMessage("q2 recorded")], options);
        Assert.Equal(ChatFinishReason.Stop, answer.FinishReason);

        var recorded = await Journal.WaitForMessageAsync("q2 recorded", Timeout);
        Assert.Equal([("system", "sys"), ("user", "q1"), ("assistant", "a1"), ("user", "q2 recorded")], recorded.Messages.Select(m => (m.Role, m.Content)));
        var p = recorded.Parameters;
        Assert.Equal((0.4, 0.8, 0.1, 0.2, 50, 9L), (Math.Round(p.Temperature!.Value, 3), Math.Round(p.TopP!.Value, 3), Math.Round(p.FrequencyPenalty!.Value, 3), Math.Round(p.PresencePenalty!.Value, 3), p.MaxTokens!.Value, p.Seed!.Value));
        Assert.Equal("max_completion_tokens", p.MaxTokensField);
        Assert.Equal(["STOP"], p.Stop);
        Assert.Equal("low", recorded.Content.ReasoningEffort);

        var (_, raw) = await PostAsync("/v1/chat/completions",
            """{"model":"llama3.2","top_k":20,"max_tokens":3,"parallel_tool_calls":false,"messages":[{"role":"user","content":"raw extras"}]}""");
        var extras = await Journal.WaitForMessageAsync("raw extras", Timeout);
        Assert.Equal((20, 3, "max_tokens", false), (extras.Parameters.TopK, extras.Parameters.MaxTokens, extras.Parameters.MaxTokensField, extras.Content.ParallelToolCalls));
        Assert.Equal("length", JsonDocument.Parse(raw).RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task A_token_limit_spent_on_reasoning_ends_with_length_before_any_content()
    {
        var (_, body) = await PostAsync("/v1/chat/completions",
            """{"model":"deepseek-r1","reasoning_effort":"high","max_tokens":2,"messages":[{"role":"user","content":"[[sim:thinking=4]]"}]}""");
        var choice = JsonDocument.Parse(body).RootElement.GetProperty("choices")[0];
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(SimulatedText.Thinking(2), choice.GetProperty("message").GetProperty("reasoning_content").GetString());
        Assert.Equal("", choice.GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task Fields_of_the_wrong_type_are_400s_naming_the_field()
    {
        var (status, body) = await PostAsync("/api/chat", """{"model":"llama3.2","options":{"temperature":"hot"},"messages":[]}""");
        Assert.Equal(400, status);
        Assert.Contains("options.temperature", body, StringComparison.Ordinal);

        (status, body) = await PostAsync("/v1/chat/completions", """{"model":"llama3.2","messages":[{"role":"user","content":[{"type":"image_url"}]}]}""");
        Assert.Equal(400, status);
        Assert.Contains("messages[0].content[0].image_url is required", body, StringComparison.Ordinal);

        (status, body) = await PostAsync("/api/chat", """{"model":"deepseek-r1","think":"very","messages":[]}""");
        Assert.Equal(400, status);
        Assert.Contains("invalid think value", body, StringComparison.Ordinal);
    }
}
