using System.Text.Json;
using System.Text.Json.Nodes;
using OllamaSharp;
using OllamaSharp.Models.Chat;

namespace Router.WebFront.Tests.Surfaces.Ollama;

/// <summary>Tools on <c>/api/chat</c> through the real router and the simulator, as OllamaSharp sees them.</summary>
[Collection(OllamaFidelityCollection.Name)]
public sealed class OllamaClientToolTests(OllamaFidelityFixture fixture)
{
    private static readonly Tool Weather = new()
    {
        Type = "function",
        Function = new Function
        {
            Name = "get_weather",
            Description = "The weather in a city",
            Parameters = new Parameters
            {
                Type = "object",
                Properties = new Dictionary<string, Property> { ["city"] = new() { Type = "string", Description = "The city's name" } },
                Required = ["city"],
            },
        },
    };

    private OllamaApiClient Client(string user) => OllamaClients.For(fixture, user);

    [Theory]
    [InlineData("llama3.2", true)]
    [InlineData("llama3.2", false)]
    [InlineData("auto", true)]
    [InlineData("auto", false)]
    public async Task A_tool_call_comes_back_whole_with_its_name_and_arguments(string model, bool stream)
    {
        var nonce = Guid.NewGuid().ToString("N");
        var request = new ChatRequest { Model = model, Stream = stream, Messages = [new Message(ChatRole.User, $"Weather in Oslo? {nonce}")], Tools = [Weather] };

        var chunks = await OllamaClients.ChatAsync(Client("tool-" + model), request);

        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        var answered = Assert.Single(simulated.AnsweredToolCalls);
        var call = Assert.Single(chunks.SelectMany(c => c.Message?.ToolCalls ?? []));
        Assert.Equal("get_weather", call.Function!.Name);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(answered.ArgumentsJson), JsonSerializer.SerializeToNode(call.Function.Arguments)),
            $"arguments {JsonSerializer.Serialize(call.Function.Arguments)}, the model's {answered.ArgumentsJson}");
        Assert.False(string.IsNullOrEmpty(call.Id));
        Assert.Equal("", string.Concat(chunks.Select(c => c.Message?.Content)));

        // Ollama says "stop" for an answer that ended with tool calls; so does the router.
        var done = Assert.IsType<ChatDoneResponseStream>(chunks[^1]);
        Assert.Equal("stop", done.DoneReason);
        Assert.Equal("tool_calls", simulated.FinishReason);

        // The tool the client offered is the one the model saw.
        var offered = Assert.Single(simulated.Tools);
        Assert.Equal(("get_weather", "The weather in a city"), (offered.Name, offered.Description));
        var parameters = JsonNode.Parse(offered.ParametersJson!)!;
        Assert.Equal("string", (string?)parameters["properties"]!["city"]!["type"]);
        Assert.Equal("The city's name", (string?)parameters["properties"]!["city"]!["description"]);
        Assert.Equal("city", (string?)parameters["required"]![0]);
    }

    [Theory]
    [InlineData("llama3.2", true)]
    [InlineData("auto", false)]
    public async Task A_tool_result_with_its_tool_name_reaches_the_model_and_is_answered(string model, bool stream)
    {
        var nonce = Guid.NewGuid().ToString("N");
        var request = new ChatRequest
        {
            Model = model,
            Stream = stream,
            Tools = [Weather],
            Messages =
            [
                new Message(ChatRole.User, $"Weather in Oslo? {nonce}"),
                new Message
                {
                    Role = ChatRole.Assistant,
                    Content = "",
                    ToolCalls =
                    [
                        new Message.ToolCall
                        {
                            Id = "call_7",
                            Function = new Message.Function { Index = 0, Name = "get_weather", Arguments = new Dictionary<string, object?> { ["city"] = "Oslo" } },
                        },
                    ],
                },
                new Message { Role = ChatRole.Tool, Content = "Rain and 7 degrees", ToolName = "get_weather" },
            ],
        };

        var chunks = await OllamaClients.ChatAsync(Client("tool-result-" + model), request);

        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        Assert.Equal(["user", "assistant", "tool"], simulated.Messages.Select(m => m.Role));
        var sentCall = Assert.Single(simulated.Messages[1].ToolCalls);
        Assert.Equal(("call_7", "get_weather"), (sentCall.Id, sentCall.Name));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"city":"Oslo"}"""), JsonNode.Parse(sentCall.ArgumentsJson)), sentCall.ArgumentsJson);
        var result = simulated.Messages[2];
        Assert.Equal(("Rain and 7 degrees", "get_weather"), (result.Content, result.ToolName));

        // The model answered the result with text, not another call.
        var text = string.Concat(chunks.Select(c => c.Message?.Content));
        Assert.StartsWith("Tool result: Rain and 7 degrees ", text, StringComparison.Ordinal);
        Assert.Equal(simulated.Text, text);
        Assert.Empty(chunks.SelectMany(c => c.Message?.ToolCalls ?? []));
        Assert.Equal("stop", Assert.IsType<ChatDoneResponseStream>(chunks[^1]).DoneReason);
    }
}
