using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenAI.Chat;
using Router.OllamaSimulator;
using static Router.WebFront.Tests.Surfaces.OpenAi.FidelityRouterFixture;

namespace Router.WebFront.Tests.Surfaces.OpenAi;

/// <summary>
/// The official OpenAI client through the router to the simulator, streamed and plain, for an Ollama
/// model and an OpenAI-compatible upstream: what the client sends reaches the model whole, and what
/// the model answers comes back whole.
/// </summary>
[Collection(FidelityRouterCollection.Name)]
public sealed class OpenAiFidelityTests(FidelityRouterFixture fixture)
{
    private const string WeatherSchema = """{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"}},"required":["city"]}""";

    private static readonly ChatTool Weather = ChatTool.CreateFunctionTool("get_weather", "The weather in a city now", BinaryData.FromString(WeatherSchema));

    /// <summary>A tools model on each kind of backend, streamed and plain.</summary>
    public static TheoryData<string, bool> ToolModels => Both(OllamaTools, RouterFixture.UpstreamModel);

    public static TheoryData<string, bool> VisionModels => Both(OllamaVision, UpstreamVision);

    public static TheoryData<string, bool> ThinkingModels => Both(OllamaThinking, UpstreamThinking);

    // "auto" too: the classifier stub picks llama3.2, and capability routing moves what it cannot serve.
    private static TheoryData<string, bool> Both(string ollama, string upstream) =>
        new() { { ollama, true }, { ollama, false }, { upstream, true }, { upstream, false }, { "auto", true }, { "auto", false } };

    private static bool IsUpstream(string model) => model.EndsWith("-upstream", StringComparison.Ordinal);

    private Task<SimulatedRequest> SimulatedAsync(string nonce) => fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);

    [Theory]
    [MemberData(nameof(ToolModels))]
    public async Task A_tool_call_comes_back_whole_with_finish_reason_tool_calls(string model, bool stream)
    {
        var nonce = Guid.NewGuid().ToString("N");
        var outcome = await OpenAiChatRun.RunAsync(fixture.Client(model), stream, [new UserChatMessage($"weather in Oslo? {nonce}")], new ChatCompletionOptions { Tools = { Weather } });

        var simulated = await SimulatedAsync(nonce);
        var offered = Assert.Single(simulated.Tools);
        Assert.Equal("get_weather", offered.Name);
        Assert.Equal("The weather in a city now", offered.Description);
        if (!IsUpstream(model)) AssertSameJson(WeatherSchema, offered.ParametersJson);

        var answered = Assert.Single(simulated.AnsweredToolCalls);
        var call = Assert.Single(outcome.ToolCalls);
        Assert.Equal(ChatFinishReason.ToolCalls, outcome.FinishReason);
        Assert.Equal("get_weather", call.Name);
        Assert.False(string.IsNullOrEmpty(call.Id));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(answered.ArgumentsJson), JsonNode.Parse(call.Arguments)), $"arguments {call.Arguments} differ from {answered.ArgumentsJson}");
        Assert.Equal("", outcome.Text);
        // An upstream names its calls; the id it gave is the one the client gets.
        if (IsUpstream(model)) Assert.Equal(answered.Id, call.Id);
    }

    [Theory]
    [MemberData(nameof(ToolModels))]
    public async Task A_tool_result_reaches_the_model_with_the_call_it_answers(string model, bool stream)
    {
        var nonce = Guid.NewGuid().ToString("N");
        ChatMessage[] conversation =
        [
            new UserChatMessage($"weather in Oslo? {nonce}"),
            new AssistantChatMessage([ChatToolCall.CreateFunctionToolCall("call_abc", "get_weather", BinaryData.FromString("""{"city":"Oslo"}"""))]),
            new ToolChatMessage("call_abc", "12 C and rain"),
        ];
        var outcome = await OpenAiChatRun.RunAsync(fixture.Client(model), stream, conversation, new ChatCompletionOptions { Tools = { Weather } });

        var simulated = await SimulatedAsync(nonce);
        Assert.Equal(["user", "assistant", "tool"], simulated.Messages.Select(m => m.Role));
        var sentCall = Assert.Single(simulated.Messages[1].ToolCalls);
        Assert.Equal("get_weather", sentCall.Name);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"city":"Oslo"}"""), JsonNode.Parse(sentCall.ArgumentsJson)));
        var result = simulated.Messages[2];
        Assert.Equal("12 C and rain", result.Content);
        // OpenAI's wire names the call by id, Ollama's by the tool's name.
        if (IsUpstream(model)) Assert.Equal("call_abc", result.ToolCallId);
        else Assert.Equal("get_weather", result.ToolName);

        Assert.StartsWith("Tool result: 12 C and rain ", outcome.Text);
        Assert.Equal(simulated.Text, outcome.Text);
        Assert.Equal(ChatFinishReason.Stop, outcome.FinishReason);
        Assert.Empty(outcome.ToolCalls);
    }

    [Theory]
    [MemberData(nameof(VisionModels))]
    public async Task An_image_reaches_the_model(string model, bool stream)
    {
        var nonce = Guid.NewGuid().ToString("N");
        // A PNG signature and a few bytes: the simulator measures and hashes what arrives.
        byte[] image = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4, 5, 6, 7, 8];
        var message = new UserChatMessage(ChatMessageContentPart.CreateTextPart($"what is in the picture? {nonce}"), ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(image), "image/png"));
        var outcome = await OpenAiChatRun.RunAsync(fixture.Client(model), stream, [message]);

        var simulated = await SimulatedAsync(nonce);
        var received = Assert.Single(Assert.Single(simulated.Messages).Images);
        Assert.Equal("image/png", received.MediaType);
        Assert.Equal(image.Length, received.ByteLength);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(image)), received.Sha256);
        Assert.StartsWith("I see 1 image. ", outcome.Text);
        Assert.Equal(simulated.Text, outcome.Text);
    }

    [Theory]
    [MemberData(nameof(ToolModels))]
    public async Task A_json_schema_reaches_the_model_and_the_answer_is_its_json(string model, bool stream)
    {
        var nonce = Guid.NewGuid().ToString("N");
        var options = new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("weather_report", BinaryData.FromString(WeatherSchema), jsonSchemaIsStrict: true) };
        var outcome = await OpenAiChatRun.RunAsync(fixture.Client(model), stream, [new UserChatMessage($"report {nonce}")], options);

        var simulated = await SimulatedAsync(nonce);
        var format = simulated.ResponseFormat;
        Assert.NotNull(format);
        Assert.Equal("json_schema", format.Type);
        if (IsUpstream(model)) Assert.Equal("weather_report", format.Name);
        else AssertSameJson(WeatherSchema, format.SchemaJson);

        Assert.Equal(simulated.Text, outcome.Text);
        Assert.Equal(JsonValueKind.String, JsonDocument.Parse(outcome.Text).RootElement.GetProperty("city").ValueKind);
    }

    [Theory]
    [MemberData(nameof(ToolModels))]
    public async Task A_four_message_conversation_reaches_the_model_exactly_and_nothing_else(string model, bool stream)
    {
        var nonce = Guid.NewGuid().ToString("N");
        ChatMessage[] conversation =
        [
            new SystemChatMessage("You answer in one line."),
            new UserChatMessage("Name a colour."),
            new AssistantChatMessage("Teal."),
            new UserChatMessage($"And another? {nonce}"),
        ];
        await OpenAiChatRun.RunAsync(fixture.Client(model), stream, conversation);

        var simulated = await SimulatedAsync(nonce);
        Assert.Equal(
            [("system", "You answer in one line."), ("user", "Name a colour."), ("assistant", "Teal."), ("user", $"And another? {nonce}")],
            simulated.Messages.Select(m => (m.Role, m.Content)));
        Assert.All(simulated.Messages, m => Assert.Empty(m.Images));
        Assert.All(simulated.Messages, m => Assert.Empty(m.ToolCalls));
        Assert.Empty(simulated.Tools);
        Assert.Null(simulated.ResponseFormat);
    }

    [Theory]
    [MemberData(nameof(ToolModels))]
    public async Task Max_tokens_ends_the_answer_with_length(string model, bool stream)
    {
        var nonce = Guid.NewGuid().ToString("N");
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 3 };
        var outcome = await OpenAiChatRun.RunAsync(fixture.Client(model), stream, [new UserChatMessage($"long {nonce} [[sim:tokens=10]]")], options);

        var simulated = await SimulatedAsync(nonce);
        Assert.Equal(3, simulated.Parameters.MaxTokens);
        Assert.Equal(ChatFinishReason.Length, outcome.FinishReason);
        Assert.Equal(SimulatedText.Text(3), outcome.Text);
        Assert.Equal(3, outcome.Usage?.OutputTokenCount);
    }

    [Theory]
    [MemberData(nameof(ThinkingModels))]
    public async Task Reasoning_arrives_apart_from_the_answer(string model, bool stream)
    {
        var nonce = Guid.NewGuid().ToString("N");
        // The client marks reasoning_effort as experimental; it is the parameter reasoning clients send.
#pragma warning disable OPENAI001
        var options = new ChatCompletionOptions { ReasoningEffortLevel = ChatReasoningEffortLevel.Low };
#pragma warning restore OPENAI001
        var outcome = await OpenAiChatRun.RunAsync(fixture.Client(model), stream, [new UserChatMessage($"think {nonce} [[sim:tokens=4,thinking=3]]")], options);

        var simulated = await SimulatedAsync(nonce);
        Assert.Equal(SimulatedText.Thinking(3), simulated.Thinking);
        // The client reads content only: the thinking is not in it (the wire tests read reasoning_content).
        Assert.Equal(SimulatedText.Text(4), outcome.Text);
        Assert.Equal(ChatFinishReason.Stop, outcome.FinishReason);
    }

    /// <summary>
    /// The schemas as the client sent them. Microsoft.Extensions.AI's OpenAI client would add
    /// <c>additionalProperties: false</c> to a tool's parameters and, for a strict response format, make
    /// every property required; the core passes the client's tools and format through the OpenAI
    /// client's own options instead, so an upstream gets them unchanged.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_upstream_gets_tool_and_response_schemas_exactly(bool stream)
    {
        var nonce = Guid.NewGuid().ToString("N");
        await OpenAiChatRun.RunAsync(fixture.Client(RouterFixture.UpstreamModel), stream, [new UserChatMessage($"tool {nonce}")], new ChatCompletionOptions { Tools = { Weather } });
        AssertSameJson(WeatherSchema, Assert.Single((await SimulatedAsync(nonce)).Tools).ParametersJson);

        nonce = Guid.NewGuid().ToString("N");
        var options = new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("weather_report", BinaryData.FromString(WeatherSchema), jsonSchemaIsStrict: true) };
        await OpenAiChatRun.RunAsync(fixture.Client(RouterFixture.UpstreamModel), stream, [new UserChatMessage($"report {nonce}")], options);
        AssertSameJson(WeatherSchema, (await SimulatedAsync(nonce)).ResponseFormat?.SchemaJson);
    }

    private static void AssertSameJson(string expected, string? actual) =>
        Assert.True(actual is not null && JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"the model got {actual}, not {expected}");
}
