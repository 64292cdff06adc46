using System.Text.Json;
using OllamaSharp.Models.Chat;
using OpenAI.Chat;
using Router.OllamaSimulator.Tests.OpenAI;

namespace Router.OllamaSimulator.Tests.Answers;

/// <summary>Offered tools are answered with a tool call, in each API's real shape; a tool result is answered with text that quotes it.</summary>
public sealed class ToolCallTests : SimulatorTestBase
{
    internal const string WeatherTool =
        """{"type":"function","function":{"name":"get_weather","description":"Weather of a city","parameters":{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"},"unit":{"type":"string","enum":["celsius","fahrenheit"]},"verbose":{"type":"boolean"}},"required":["city","days","unit"]}}}""";

    internal const string TimeTool =
        """{"type":"function","function":{"name":"get_time","description":"Time in a zone","parameters":{"type":"object","properties":{"zone":{"type":"string"}},"required":["zone"]}}}""";

    [Fact]
    public async Task Ollama_chat_streams_one_tool_call_chunk_then_done_with_stop()
    {
        var (status, body) = await PostAsync("/api/chat",
            $$"""{"model":"llama3.2","messages":[{"role":"user","content":"weather in Oslo?"}],"tools":[{{WeatherTool}},{{TimeTool}}]}""");

        Assert.Equal(200, status);
        var lines = NdjsonLines(body);
        Assert.Equal(2, lines.Count);
        var message = lines[0].GetProperty("message");
        Assert.Equal("", message.GetProperty("content").GetString());
        var call = Assert.Single(message.GetProperty("tool_calls").EnumerateArray());
        Assert.StartsWith("call_", call.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, call.GetProperty("function").GetProperty("index").GetInt32());
        Assert.Equal("get_weather", call.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("""{"city":"value","days":1,"unit":"celsius"}""", call.GetProperty("function").GetProperty("arguments").GetRawText());
        Assert.False(lines[0].GetProperty("done").GetBoolean());
        Assert.Equal("stop", lines[1].GetProperty("done_reason").GetString());

        var recorded = await Journal.WaitForMessageAsync("weather in Oslo?", Timeout);
        Assert.Equal("tool_calls", recorded.FinishReason);
        Assert.Equal("get_weather", Assert.Single(recorded.AnsweredToolCalls).Name);
        Assert.Equal("", recorded.Text);
    }

    [Fact]
    public async Task OllamaSharp_reads_the_tool_call_and_the_marker_picks_parallel_tools()
    {
        using var client = CreateClient();
        var request = new ChatRequest
        {
            Model = "llama3.2",
            Messages = [new Message(ChatRole.User, "both please [[sim:tool=get_time+get_weather]]")],
            Tools = [Tool("get_weather", "city"), Tool("get_time", "zone")],
            Stream = false,
        };

        var calls = new List<Message.ToolCall>();
        await foreach (var chunk in client.ChatAsync(request))
        {
            calls.AddRange(chunk?.Message.ToolCalls ?? []);
        }

        Assert.Equal(["get_time", "get_weather"], calls.Select(c => c.Function!.Name));
        Assert.Equal("value", calls[0].Function!.Arguments!["zone"]?.ToString());
        Assert.Equal("value", calls[1].Function!.Arguments!["city"]?.ToString());
    }

    [Fact]
    public async Task Ollama_tool_result_is_recorded_and_answered_with_text_quoting_it()
    {
        var (status, body) = await PostAsync("/api/chat", $$$"""
            {"model":"llama3.2","stream":false,"tools":[{{{WeatherTool}}}],"messages":[
              {"role":"user","content":"weather in Oslo?"},
              {"role":"assistant","content":"","tool_calls":[{"id":"call_1","function":{"index":0,"name":"get_weather","arguments":{"city":"Oslo"} } }]},
              {"role":"tool","tool_name":"get_weather","content":"12 degrees and rain"}]}
            """);

        Assert.Equal(200, status);
        var answer = JsonDocument.Parse(body).RootElement.GetProperty("message");
        Assert.StartsWith("Tool result: 12 degrees and rain ", answer.GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.False(answer.TryGetProperty("tool_calls", out _));

        var recorded = await Journal.WaitForMessageAsync("weather in Oslo?", Timeout);
        Assert.Equal(["user", "assistant", "tool"], recorded.Messages.Select(m => m.Role));
        Assert.Equal(new SimulatedToolCall("call_1", "get_weather", """{"city":"Oslo"}""", 0), Assert.Single(recorded.Messages[1].ToolCalls));
        Assert.Equal("get_weather", recorded.Messages[2].ToolName);
        Assert.Equal("12 degrees and rain", recorded.Messages[2].Content);
    }

    [Fact]
    public async Task OpenAI_streams_tool_call_deltas_like_openai_and_finishes_with_tool_calls()
    {
        var (status, body) = await PostAsync("/v1/chat/completions",
            $$"""{"model":"llama3.2","stream":true,"messages":[{"role":"user","content":"weather?"}],"tools":[{{WeatherTool}}],"tool_choice":"auto"}""");

        Assert.Equal(200, status);
        var events = OpenAIEvents.Parse(body);
        Assert.Equal(OpenAIEvents.Done, events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e).RootElement).ToList();

        var first = OpenAIEvents.Delta(chunks[0]);
        Assert.Equal("assistant", first.GetProperty("role").GetString());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("content").ValueKind);
        var opening = Assert.Single(first.GetProperty("tool_calls").EnumerateArray());
        Assert.Equal(0, opening.GetProperty("index").GetInt32());
        Assert.StartsWith("call_", opening.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("function", opening.GetProperty("type").GetString());
        Assert.Equal("get_weather", opening.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("", opening.GetProperty("function").GetProperty("arguments").GetString());

        var fragments = chunks[1..^1].Select(c => Assert.Single(OpenAIEvents.Delta(c).GetProperty("tool_calls").EnumerateArray())).ToList();
        Assert.True(fragments.Count >= 3, $"arguments came in {fragments.Count} fragments");
        Assert.All(fragments, f => Assert.Equal(0, f.GetProperty("index").GetInt32()));
        Assert.All(fragments, f => Assert.False(f.TryGetProperty("id", out _)));
        Assert.Equal("""{"city":"value","days":1,"unit":"celsius"}""", string.Concat(fragments.Select(f => f.GetProperty("function").GetProperty("arguments").GetString())));
        Assert.Equal("tool_calls", OpenAIEvents.FinishReason(chunks[^1]));
    }

    [Fact]
    public async Task OpenAI_client_streamed_and_plain_gets_the_whole_call_and_tool_choice_none_gets_text()
    {
        var client = CreateOpenAIClient();
        var options = new ChatCompletionOptions { Tools = { OpenAITool("get_weather", "city"), OpenAITool("get_time", "zone") }, ToolChoice = ChatToolChoice.CreateFunctionChoice("get_time") };

        ChatFinishReason? finish = null;
        string? id = null, name = null;
        var arguments = new System.Text.StringBuilder();
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("time?")], options))
        {
            finish ??= update.FinishReason;
            foreach (var call in update.ToolCallUpdates)
            {
                id ??= call.ToolCallId;
                name ??= call.FunctionName;
                arguments.Append(call.FunctionArgumentsUpdate?.ToString());
            }
        }

        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        Assert.StartsWith("call_", id, StringComparison.Ordinal);
        Assert.Equal("get_time", name);
        Assert.Equal("""{"zone":"value"}""", arguments.ToString());

        ChatCompletion plain = await client.CompleteChatAsync([new UserChatMessage("time again?")], options);
        Assert.Equal(ChatFinishReason.ToolCalls, plain.FinishReason);
        var whole = Assert.Single(plain.ToolCalls);
        Assert.Equal("get_time", whole.FunctionName);
        Assert.Equal("""{"zone":"value"}""", whole.FunctionArguments.ToString());

        options.ToolChoice = ChatToolChoice.CreateNoneChoice();
        ChatCompletion none = await client.CompleteChatAsync([new UserChatMessage("no tools [[sim:tokens=3]]")], options);
        Assert.Equal(ChatFinishReason.Stop, none.FinishReason);
        Assert.Empty(none.ToolCalls);
        Assert.Equal(SimulatedText.Text(3), none.Content[0].Text);

        var recorded = await Journal.WaitForMessageAsync("time again?", Timeout);
        Assert.Equal("""{"type":"function","function":{"name":"get_time"}}""", recorded.Content.ToolChoice);
        Assert.Equal(["get_weather", "get_time"], recorded.Tools.Select(t => t.Name));
    }

    [Fact]
    public async Task OpenAI_tool_message_is_recorded_with_its_call_id_and_quoted_in_the_answer()
    {
        var client = CreateOpenAIClient();
        var options = new ChatCompletionOptions { Tools = { OpenAITool("get_weather", "city") } };
        var call = ChatToolCall.CreateFunctionToolCall("call_42", "get_weather", BinaryData.FromString("""{"city":"Oslo"}"""));
        ChatCompletion answer = await client.CompleteChatAsync(
            [new SystemChatMessage("be brief"), new UserChatMessage("weather in Oslo?"), new AssistantChatMessage([call]), new ToolChatMessage("call_42", "sunny")],
            options);

        Assert.Equal(ChatFinishReason.Stop, answer.FinishReason);
        Assert.StartsWith("Tool result: sunny ", answer.Content[0].Text, StringComparison.Ordinal);

        var recorded = await Journal.WaitForMessageAsync("weather in Oslo?", Timeout);
        Assert.Equal(["system", "user", "assistant", "tool"], recorded.Messages.Select(m => m.Role));
        var sent = Assert.Single(recorded.Messages[2].ToolCalls);
        Assert.Equal(("call_42", "get_weather", """{"city":"Oslo"}"""), (sent.Id, sent.Name, sent.ArgumentsJson));
        Assert.Equal("call_42", recorded.Messages[3].ToolCallId);
        Assert.Equal("sunny", recorded.Messages[3].Content);
    }

    private static OllamaSharp.Models.Chat.Tool Tool(string name, string parameter) => new()
    {
        Function = new Function
        {
            Name = name,
            Description = $"{name} tool",
            Parameters = new Parameters { Properties = new Dictionary<string, Property> { [parameter] = new() { Type = "string" } }, Required = [parameter] },
        },
    };

    private static ChatTool OpenAITool(string name, string parameter) => ChatTool.CreateFunctionTool(
        name, $"{name} tool", BinaryData.FromString($$$"""{"type":"object","properties":{"{{{parameter}}}":{"type":"string"}},"required":["{{{parameter}}}"]}"""));
}
