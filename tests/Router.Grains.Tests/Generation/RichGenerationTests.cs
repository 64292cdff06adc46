using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using Router.Grains.Interfaces;
using Router.OllamaSimulator;
using Router.Testing;

namespace Router.Grains.Tests.Generation;

/// <summary>
/// One silo serving three Ollama models of the simulator, whose capabilities the router learns from
/// the simulator's <c>/api/show</c> (llama3.2: tools; llava: vision; qwen3: tools and thinking), and
/// an OpenAI-compatible upstream (the simulator's <c>/v1</c>).
/// </summary>
public sealed class RichClusterFixture : IAsyncLifetime
{
    public const string Upstream = "cloud-qwen";

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public OllamaSimulator.OllamaSimulator Simulator { get; private set; } = null!;

    public ClassifierStub Classifier { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync()
    {
        Simulator = await OllamaSimulator.OllamaSimulator.StartAsync(new SimulatorOptions { TimeToFirstTokenMs = 10, TokensPerSecond = 200, ResponseTokens = 6, Models = ["llama3.2", "llava", "qwen3", "qwen2.5-coder"] });
        Classifier = await ClassifierStub.StartAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ollama:BaseUrl"] = Simulator.BaseUrl.ToString(),
            ["Ollama:Models:0"] = "llama3.2",
            ["Ollama:Models:1"] = "llava",
            ["Ollama:Models:2"] = "qwen3",
            ["Ollama:IdleTimeout"] = "00:00:30",
            ["Classifier:Url"] = Classifier.Url.ToString(),
            ["Classifier:Timeout"] = "00:00:10",
            ["Upstreams:0:Name"] = Upstream,
            ["Upstreams:0:BaseUrl"] = Simulator.OpenAIBaseUrl.ToString(),
            ["Upstreams:0:Model"] = "qwen3",
        }).Build();
        Cluster = await RouterTestCluster.StartAsync(1, configuration);
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Classifier.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class RichClusterCollection : ICollectionFixture<RichClusterFixture>
{
    public const string Name = "one silo, several capable models";
}

/// <summary>The rich request reaches the backend whole through the session and the runner, and the rich answer comes back.</summary>
[Collection(RichClusterCollection.Name)]
public sealed class RichGenerationTests(RichClusterFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
    private static readonly ToolDefinition Weather = new("get_weather", "The weather in a city",
        """{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""");

    private async Task<(CompletionTicket Ticket, IReadOnlyList<CompletionEvent> Items, SimulatedRequest Seen)> RunAsync(string? model, string nonce, ModelInput input, GenerationSettings? settings = null)
    {
        await using var reader = await CompletionStreamReader.SubscribeAsync(fixture.Client);
        var request = reader.Request(nonce) with { Model = model, Input = input, Settings = settings };
        var ticket = await fixture.Client.GetGrain<IUserSessionGrain>($"rich-{Guid.NewGuid():N}").StartCompletionAsync(request);
        Assert.Null(ticket.Error);
        var items = await reader.ReadToTerminalAsync(Timeout);
        var seen = await fixture.Simulator.Journal.WaitForAsync(r => r.Messages.Any(m => m.Content?.Contains(nonce, StringComparison.Ordinal) == true), Timeout);
        return (ticket, items, seen);
    }

    [Theory]
    [InlineData("llama3.2")]
    [InlineData(RichClusterFixture.Upstream)]
    public async Task A_tool_call_comes_back_whole_and_its_result_reaches_the_model(string model)
    {
        var nonce = $"weather {Guid.NewGuid():N}";
        var (_, items, seen) = await RunAsync(model, nonce, new ModelInput([ConversationMessage.FromText("user", nonce)], [Weather]));

        var call = Assert.Single(items.Where(i => i.ToolCalls is not null).SelectMany(i => i.ToolCalls!));
        Assert.Equal("get_weather", call.Name);
        Assert.False(string.IsNullOrEmpty(call.Id));
        Assert.Equal("""{"city":"value"}""", call.Arguments.Replace(" ", ""));
        Assert.Equal("tool_calls", items[^1].Summary!.FinishReason);
        Assert.Equal("get_weather", Assert.Single(seen.Tools).Name);

        var followUp = $"{nonce} again";
        var result = await RunAsync(model, followUp, new ModelInput(
            [
                ConversationMessage.FromText("user", followUp),
                new ConversationMessage("assistant", [new MessagePart(PartKind.ToolCall, CallId: call.Id, Name: call.Name, Arguments: call.Arguments)]),
                new ConversationMessage("tool", [new MessagePart(PartKind.ToolResult, "12 degrees and rain", CallId: call.Id, Name: call.Name)]),
            ],
            [Weather]));

        var toolMessage = result.Seen.Messages[^1];
        Assert.Equal("tool", toolMessage.Role);
        Assert.Equal("12 degrees and rain", toolMessage.Content);
        Assert.True(toolMessage.ToolCallId == call.Id || toolMessage.ToolName == call.Name, $"the tool result carried neither the call id nor the tool name: {toolMessage}");
        Assert.Equal(call.Name, Assert.Single(result.Seen.Messages[^2].ToolCalls).Name);
        Assert.Contains("Tool result: 12 degrees and rain", string.Concat(result.Items.Select(i => i.Text)));
        Assert.Equal("stop", result.Items[^1].Summary!.FinishReason);
    }

    [Fact]
    public async Task Auto_sends_an_image_to_the_vision_model_the_backend_reports()
    {
        var nonce = $"picture {Guid.NewGuid():N}";
        var (ticket, items, seen) = await RunAsync(null, nonce, new ModelInput(
            [new ConversationMessage("user", [MessagePart.FromText(nonce), new MessagePart(PartKind.Image, MediaType: "image/png", Data: Png)])]));

        Assert.Equal("llava", ticket.Model);
        Assert.Contains("'llama3.2' lacks vision", ticket.RoutingReason);
        Assert.Equal("llava", seen.Model);
        var image = Assert.Single(seen.Messages[^1].Images);
        Assert.Equal(Png.Length, image.ByteLength);
        Assert.Equal(CompletionEventKind.Done, items[^1].Kind);
    }

    [Theory]
    [InlineData("qwen3")]
    [InlineData(RichClusterFixture.Upstream)]
    public async Task Thinking_arrives_apart_from_the_text_and_the_output_cap_ends_with_length(string model)
    {
        var nonce = $"think {Guid.NewGuid():N}";
        var (_, items, seen) = await RunAsync(model, nonce, new ModelInput([ConversationMessage.FromText("user", nonce)]),
            new GenerationSettings(MaxTokens: 4, Reasoning: "on"));

        var thinking = string.Concat(items.Select(i => i.Reasoning));
        Assert.False(string.IsNullOrEmpty(thinking));
        Assert.Equal(seen.Thinking, thinking);
        Assert.Equal(seen.Text, string.Concat(items.Select(i => i.Text)));
        Assert.Equal("length", items[^1].Summary!.FinishReason);
        Assert.Equal("length", seen.FinishReason);
    }

    [Fact]
    public async Task A_four_message_conversation_with_a_schema_and_options_reaches_the_model_exactly()
    {
        var nonce = $"schema {Guid.NewGuid():N}";
        const string schema = """{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}""";
        var (_, _, seen) = await RunAsync("llama3.2", nonce, new ModelInput(
            [
                ConversationMessage.FromText("system", "Answer in JSON."),
                ConversationMessage.FromText("user", "Who wrote it?"),
                ConversationMessage.FromText("assistant", "Which book?"),
                ConversationMessage.FromText("user", nonce),
            ],
            Format: new OutputFormat(OutputFormat.JsonSchema, schema)),
            new GenerationSettings(Temperature: 0.3f, TopK: 20, BackendOptions: new Dictionary<string, string> { ["num_ctx"] = "2048", ["repeat_penalty"] = "1.2" }, KeepAlive: "10m"));

        Assert.Equal(["system:Answer in JSON.", "user:Who wrote it?", "assistant:Which book?", $"user:{nonce}"], seen.Messages.Select(m => $"{m.Role}:{m.Content}"));
        Assert.Equal(schema, seen.ResponseFormat!.SchemaJson!.Replace(" ", ""));
        Assert.Equal("10m", seen.Content.KeepAlive);
        Assert.Contains("\"num_ctx\":2048", seen.Content.OptionsJson!.Replace(" ", ""));
        Assert.Contains("\"repeat_penalty\":1.2", seen.Content.OptionsJson!.Replace(" ", ""));
        Assert.Contains("\"top_k\":20", seen.Content.OptionsJson!.Replace(" ", ""));
    }
}
