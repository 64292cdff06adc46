using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Router.Grains.Interfaces;

namespace Router.Grains.Tests.Contracts;

/// <summary>
/// The rich request and answer cross Orleans whole, and what the previous shape of the contracts
/// wrote (before the request carried a whole conversation and the answer thinking and tool calls) is
/// still read: silos and web fronts of two versions meet during a rolling deploy, and replay logs
/// and stored state outlive a deploy.
/// </summary>
public sealed class RichContractFormatTests
{
    private static readonly Guid RequestId = Guid.Parse("0b9f4c1e-3f7a-4d2b-9c1e-5a6b7c8d9e0f");

    // Written by the contracts as they were before ModelInput (commit 31d3d6e), with the same values as below.
    private const string PreviousRequest = "IOhAIR5Mnwt6PytNnB5aa3yNng9BKVdoeSBpcyB0aGUgc2t5IGJsdWU/QQ1sYW5lLTNBEWxsYW1hMy4yMQHufDlhZ1JlYWRPbmx5TGlzdEludGVyZmFjZUNvZGVjYDFbW3JvdXRlci5jaGF0LXR1cm4udjFdXQAHIehADXN5c3RlbUETQmUgYnJpZWYu4CDoQAl1c2VyQQVIaeAg6EATYXNzaXN0YW50QQ1IZWxsbyHg4CHoYAAAAD9hZmZmPwECAjEBw9luPk1SZWFkT25seUxpc3RJbnRlcmZhY2VDb2RlY2AxW1tzdHJpbmddXQADQQdFTkTgAanggQCMhkcAAAAA4A==";
    private const string PreviousChunk = "IOhAIR5Mnwt6PytNnB5aa3yNng8BDSHoCAMBQRFsbGFtYTMuMkEXYmx1ZSBsaWdodCDBAcEB4OA=";
    private const string PreviousDone = "IOhAIR5Mnwt6PytNnB5aa3yNng8BESHoCAMFQRFsbGFtYTMuMkEBIehAE2tub3dsZWRnZQExAYkBuhHgwQHg4A==";

    private static Serializer NewSerializer() =>
        new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(CompletionRequest).Assembly)).BuildServiceProvider().GetRequiredService<Serializer>();

    [Fact]
    public void A_request_of_the_previous_shape_is_read_with_no_input()
    {
        var request = NewSerializer().Deserialize<CompletionRequest>(Convert.FromBase64String(PreviousRequest))!;

        Assert.Equal(RequestId, request.RequestId);
        Assert.Equal("Why is the sky blue?", request.Message);
        Assert.Equal(("lane-3", "llama3.2"), (request.ReplyLane, request.Model));
        Assert.Equal(["system:Be brief.", "user:Hi", "assistant:Hello!"], request.Context!.Select(t => $"{t.Role}:{t.Content}"));
        Assert.Equal((0.5f, 0.9f, 64, 42L), (request.Settings!.Temperature, request.Settings.TopP, request.Settings.MaxTokens, request.Settings.Seed));
        Assert.Equal(["END"], request.Settings.Stop!);
        Assert.Null(request.Settings.TopK);
        Assert.Null(request.Settings.Reasoning);
        Assert.Equal(TimeSpan.FromMinutes(2), request.ResumeWindow);
        Assert.Null(request.Input);
    }

    [Fact]
    public void Answer_items_of_the_previous_shape_are_read_without_thinking_tool_calls_or_finish_reason()
    {
        var serializer = NewSerializer();
        var chunk = serializer.Deserialize<LaneItem>(Convert.FromBase64String(PreviousChunk))!;
        var done = serializer.Deserialize<LaneItem>(Convert.FromBase64String(PreviousDone))!;

        Assert.Equal((RequestId, 3, CompletionEventKind.Token, "blue light "), (chunk.RequestId, chunk.Sequence, chunk.Event.Kind, chunk.Event.Text));
        Assert.Null(chunk.Event.Reasoning);
        Assert.Null(chunk.Event.ToolCalls);
        Assert.Equal(CompletionEventKind.Done, done.Event.Kind);
        Assert.Equal(("knowledge", 12L, 34L, 567L), (done.Event.Summary!.Category, done.Event.Summary.PromptTokens, done.Event.Summary.OutputTokens, done.Event.Summary.ProcessingMs));
        Assert.Null(done.Event.Summary.FinishReason);
    }

    [Fact]
    public void A_rich_request_round_trips_whole()
    {
        var image = new byte[] { 0x89, 0x50, 0x4E, 0x47, 1, 2, 3 };
        var input = new ModelInput(
            [
                ConversationMessage.FromText("system", "You call tools."),
                new ConversationMessage("user", [MessagePart.FromText("What is in this picture, and the weather?"), new MessagePart(PartKind.Image, MediaType: "image/png", Data: image)]),
                new ConversationMessage("assistant", [new MessagePart(PartKind.Reasoning, "Need the weather."), new MessagePart(PartKind.ToolCall, CallId: "call_1", Name: "get_weather", Arguments: """{"city":"Oslo"}""")]),
                new ConversationMessage("tool", [new MessagePart(PartKind.ToolResult, "12 C, rain", CallId: "call_1", Name: "get_weather")]),
            ],
            [new ToolDefinition("get_weather", "The weather in a city", """{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""", true)],
            new ToolChoice(ToolChoice.Function, "get_weather"),
            new OutputFormat(OutputFormat.JsonSchema, """{"type":"object"}""", "answer", "The answer", true));
        var settings = new GenerationSettings(0.2f, 0.8f, 100, ["\n\n"], 7, TopK: 40, FrequencyPenalty: 0.1f, PresencePenalty: -0.1f,
            Reasoning: "high", BackendOptions: new Dictionary<string, string> { ["num_ctx"] = "8192", ["repeat_penalty"] = "1.1" }, KeepAlive: "5m");
        var request = new CompletionRequest(RequestId, "What is in this picture, and the weather?", "lane-1", null, null, settings, null, input);

        var copy = NewSerializer().Deserialize<CompletionRequest>(NewSerializer().SerializeToArray(request))!;

        Assert.Equal(4, copy.Input!.Messages.Count);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(input.Messages[i].Role, copy.Input.Messages[i].Role);
            Assert.Equal(input.Messages[i].Parts.Count, copy.Input.Messages[i].Parts.Count);
            foreach (var (expected, actual) in input.Messages[i].Parts.Zip(copy.Input.Messages[i].Parts))
            {
                Assert.Equal(expected with { Data = null }, actual with { Data = null });
                Assert.Equal(expected.Data, actual.Data);
            }
        }

        Assert.Equal(input.Tools!.Single(), copy.Input.Tools!.Single());
        Assert.Equal(input.ToolChoice, copy.Input.ToolChoice);
        Assert.Equal(input.Format, copy.Input.Format);
        Assert.Equal(settings with { Stop = null, BackendOptions = null }, copy.Settings! with { Stop = null, BackendOptions = null });
        Assert.Equal(settings.Stop, copy.Settings.Stop!);
        Assert.Equal(settings.BackendOptions, copy.Settings.BackendOptions!);
    }

    [Fact]
    public void A_rich_answer_round_trips_whole()
    {
        var serializer = NewSerializer();
        var chunk = new LaneItem(RequestId, 1, CompletionEvent.Chunk("qwen3", "", "Let me look that up.",
            [new ToolCallDelta(0, "call_9", "get_weather", """{"city":"Oslo"}"""), new ToolCallDelta(1, "call_10", "get_time", "{}")]));
        var done = new LaneItem(RequestId, 2, CompletionEvent.Completed("qwen3", new CompletionSummary("knowledge", 10, 20, 30, "tool_calls")));

        var chunkCopy = serializer.Deserialize<LaneItem>(serializer.SerializeToArray(chunk))!;
        var doneCopy = serializer.Deserialize<LaneItem>(serializer.SerializeToArray(done))!;

        Assert.Equal("Let me look that up.", chunkCopy.Event.Reasoning);
        Assert.Equal(chunk.Event.ToolCalls!, chunkCopy.Event.ToolCalls!);
        Assert.Equal(done.Event.Summary, doneCopy.Event.Summary);
    }
}
