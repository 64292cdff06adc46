using System.Text.Json;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using Router.OllamaSimulator;

namespace Router.WebFront.Tests.Surfaces.Anthropic;

/// <summary>The official Anthropic .NET client against the router and the simulator, plain and streamed.</summary>
[Collection(AnthropicRouterCollection.Name)]
public sealed class AnthropicClientTests(AnthropicRouterFixture fixture)
{
    // A 1×1 PNG, written for these tests.
    private const string TinyPng = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

    private static readonly Tool WeatherTool = new()
    {
        Name = "get_weather",
        Description = "The weather in a city",
        InputSchema = new InputSchema
        {
            Properties = new Dictionary<string, JsonElement> { ["city"] = JsonSerializer.SerializeToElement(new { type = "string" }) },
            Required = ["city"],
        },
    };

    private static MessageCreateParams Ask(string text, string model = AnthropicRouterFixture.AutoAlias, long maxTokens = 256) => new()
    {
        Model = model,
        MaxTokens = maxTokens,
        Messages = [new UserMessageParam(text)],
    };

    private static string Nonce() => Guid.NewGuid().ToString("N")[..12];

    private static string TextOf(Message message) =>
        string.Concat(message.Content.Select(b => b.TryPickText(out var text) ? text.Text : ""));

    [Fact]
    public async Task A_plain_answer_is_a_message_with_one_text_block_and_end_turn()
    {
        var message = await fixture.Client().Messages.Create(Ask($"hello {Nonce()} [[sim:tokens=5]]"), Timeouts.Token());

        Assert.Equal("llama3.2", message.Model.Raw());
        Assert.StartsWith("msg_", message.ID);
        var block = Assert.Single(message.Content);
        Assert.True(block.TryPickText(out var text), "the only block is text");
        Assert.Equal(SimulatedText.Text(5), text!.Text);
        Assert.Equal(StopReason.EndTurn, message.StopReason!.Value());
        Assert.Equal(5, message.Usage.OutputTokens);
    }

    [Fact]
    public async Task A_streamed_answer_arrives_as_text_deltas_of_one_block_and_ends_with_end_turn()
    {
        var events = await StreamAsync(Ask($"stream {Nonce()} [[sim:tokens=6]]"));

        Assert.True(events[0].TryPickStart(out var start), "message_start comes first");
        Assert.Equal("llama3.2", start!.Message.Model.Raw());
        Assert.True(events[^1].TryPickStop(out _), "message_stop comes last");
        Assert.Equal(SimulatedText.Text(6), string.Concat(TextDeltas(events)));
        var delta = Assert.Single(events.Select(e => e.TryPickDelta(out var d) ? d : null).OfType<RawMessageDeltaEvent>());
        Assert.Equal(StopReason.EndTurn, delta.Delta.StopReason!.Value());
        Assert.Equal(6, delta.Usage.OutputTokens);
    }

    [Fact]
    public async Task A_tool_call_comes_back_as_a_tool_use_block_and_its_result_reaches_the_model()
    {
        var client = fixture.Client();
        var nonce = Nonce();
        var first = await client.Messages.Create(new MessageCreateParams
        {
            Model = AnthropicRouterFixture.AutoAlias,
            MaxTokens = 256,
            Tools = [WeatherTool],
            Messages = [new UserMessageParam($"What is the weather in Paris? {nonce}")],
        }, Timeouts.Token());

        Assert.Equal(StopReason.ToolUse, first.StopReason!.Value());
        var call = first.Content.Select(b => b.TryPickToolUse(out var t) ? t : null).OfType<ToolUseBlock>().Single();
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("value", call.Input["city"].GetString());
        Assert.False(string.IsNullOrEmpty(call.ID));

        var second = await client.Messages.Create(new MessageCreateParams
        {
            Model = AnthropicRouterFixture.AutoAlias,
            MaxTokens = 256,
            Tools = [WeatherTool],
            Messages =
            [
                new UserMessageParam($"What is the weather in Paris? {nonce}"),
                new AssistantMessageParam(new List<ContentBlockParam> { new ToolUseBlockParam { ID = call.ID, Name = call.Name, Input = call.Input } }),
                new UserMessageParam(new List<ContentBlockParam> { new ToolResultBlockParam(call.ID) { Content = $"Sunny {nonce}" } }),
            ],
        }, Timeouts.Token());

        Assert.Equal(StopReason.EndTurn, second.StopReason!.Value());
        Assert.StartsWith($"Tool result: Sunny {nonce}", TextOf(second));
        var seen = await fixture.Simulator.Journal.WaitForAsync(r => r.Messages.Any(m => m.Role == "tool" && m.Content == $"Sunny {nonce}"), Timeouts.Event);
        Assert.Equal(["user", "assistant", "tool"], seen.Messages.Select(m => m.Role));
        Assert.Equal("get_weather", seen.Messages[2].ToolName);
        var sentCall = Assert.Single(seen.Messages[1].ToolCalls);
        Assert.Equal("get_weather", sentCall.Name);
        Assert.Equal("""{"city":"value"}""", JsonSerializer.Serialize(JsonDocument.Parse(sentCall.ArgumentsJson).RootElement));
        Assert.Equal("get_weather", Assert.Single(seen.Tools).Name);
    }

    [Fact]
    public async Task A_streamed_tool_call_is_a_tool_use_block_whose_json_deltas_make_its_input()
    {
        var events = await StreamAsync(new MessageCreateParams
        {
            Model = AnthropicRouterFixture.AutoAlias,
            MaxTokens = 256,
            Tools = [WeatherTool],
            ToolChoice = new ToolChoiceAny(),
            Messages = [new UserMessageParam($"Weather in Oslo {Nonce()}")],
        });

        var start = events.Select(e => e.TryPickContentBlockStart(out var s) ? s : null).OfType<RawContentBlockStartEvent>().Single();
        Assert.True(start.ContentBlock.TryPickToolUse(out var toolUse), "the block is a tool_use block");
        Assert.Equal("get_weather", toolUse!.Name);
        var json = string.Concat(events.Select(e => e.TryPickContentBlockDelta(out var d) && d.Delta.TryPickInputJson(out var j) ? j.PartialJson : ""));
        Assert.Equal("value", JsonDocument.Parse(json).RootElement.GetProperty("city").GetString());
        var delta = events.Select(e => e.TryPickDelta(out var d) ? d : null).OfType<RawMessageDeltaEvent>().Single();
        Assert.Equal(StopReason.ToolUse, delta.Delta.StopReason!.Value());
    }

    [Fact]
    public async Task An_image_reaches_a_vision_model_chosen_by_capability()
    {
        var nonce = Nonce();
        var message = await fixture.Client().Messages.Create(new MessageCreateParams
        {
            Model = AnthropicRouterFixture.AutoAlias,
            MaxTokens = 256,
            Messages =
            [
                new UserMessageParam(new List<ContentBlockParam>
                {
                    new ImageBlockParam(new Base64ImageSource { Data = TinyPng, MediaType = MediaType.ImagePng }),
                    new TextBlockParam($"What is in this picture? {nonce}"),
                }),
            ],
        }, Timeouts.Token());

        Assert.Equal("llava", message.Model.Raw());
        Assert.StartsWith("I see 1 image.", TextOf(message));
        var seen = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        var image = Assert.Single(Assert.Single(seen.Messages).Images);
        Assert.Equal("image/png", image.MediaType);
        Assert.Equal(Convert.FromBase64String(TinyPng).Length, image.ByteLength);
    }

    [Fact]
    public async Task Thinking_comes_in_a_thinking_block_apart_from_the_text()
    {
        var request = Ask($"Think first {Nonce()} [[sim:thinking=3,tokens=4]]", AnthropicRouterFixture.ThinkingAlias) with
        {
            Thinking = new ThinkingConfigEnabled(1024),
        };

        var message = await fixture.Client().Messages.Create(request, Timeouts.Token());

        Assert.Equal("qwen3", message.Model.Raw());
        Assert.Equal(2, message.Content.Count);
        Assert.True(message.Content[0].TryPickThinking(out var thinking), "the first block is thinking");
        Assert.Equal(SimulatedText.Thinking(3), thinking!.Thinking);
        Assert.False(string.IsNullOrEmpty(thinking.Signature));
        Assert.Equal(SimulatedText.Text(4), TextOf(message));

        var events = await StreamAsync(request);
        var thought = string.Concat(events.Select(e => e.TryPickContentBlockDelta(out var d) && d.Delta.TryPickThinking(out var t) ? t.Thinking : ""));
        Assert.Equal(SimulatedText.Thinking(3), thought);
        Assert.Equal(SimulatedText.Text(4), string.Concat(TextDeltas(events)));
        Assert.Contains(events, e => e.TryPickContentBlockDelta(out var d) && d.Delta.TryPickSignature(out _));
    }

    [Fact]
    public async Task Max_tokens_ends_the_answer_with_stop_reason_max_tokens()
    {
        var request = Ask($"long {Nonce()} [[sim:tokens=40]]", maxTokens: 3);

        var message = await fixture.Client().Messages.Create(request, Timeouts.Token());
        Assert.Equal(StopReason.MaxTokens, message.StopReason!.Value());
        Assert.Equal(SimulatedText.Text(3), TextOf(message));

        var events = await StreamAsync(request);
        var delta = events.Select(e => e.TryPickDelta(out var d) ? d : null).OfType<RawMessageDeltaEvent>().Single();
        Assert.Equal(StopReason.MaxTokens, delta.Delta.StopReason!.Value());
        Assert.Equal(3, delta.Usage.OutputTokens);
    }

    [Fact]
    public async Task A_failure_after_the_first_tokens_is_the_streams_error_event()
    {
        var received = new List<RawMessageStreamEvent>();
        var failure = await Assert.ThrowsAnyAsync<AnthropicException>(async () =>
        {
            await foreach (var e in fixture.Client().Messages.CreateStreaming(Ask($"fail {Nonce()} [[sim:fail=2]]"), Timeouts.Token()))
            {
                received.Add(e);
            }
        });

        Assert.Equal(SimulatedText.Text(2), string.Concat(TextDeltas(received)));
        Assert.DoesNotContain(received, e => e.TryPickStop(out _));
        var sse = Assert.IsType<AnthropicSseException>(failure);
        Assert.Equal("api_error", sse.Type?.Raw());
    }

    [Fact]
    public async Task A_model_that_is_neither_served_nor_aliased_is_not_found()
    {
        var failure = await Assert.ThrowsAsync<AnthropicNotFoundException>(() => fixture.Client().Messages.Create(Ask("hello", model: "gpt-4o"), Timeouts.Token()));
        Assert.Contains("gpt-4o", failure.Message);
    }

    [Fact]
    public async Task Count_tokens_answers_the_routers_estimate()
    {
        var text = new string('a', 400);
        var count = await fixture.Client().Messages.CountTokens(new MessageCountTokensParams
        {
            Model = AnthropicRouterFixture.AutoAlias,
            Messages = [new UserMessageParam(text)],
            System = "You are terse.",
        }, Timeouts.Token());

        // A token per four characters of text: 400 + 14 characters.
        Assert.Equal((400 + 14) / 4 + 1, count.InputTokens);
    }

    private async Task<List<RawMessageStreamEvent>> StreamAsync(MessageCreateParams request)
    {
        var events = new List<RawMessageStreamEvent>();
        await foreach (var e in fixture.Client().Messages.CreateStreaming(request, Timeouts.Token())) events.Add(e);
        return events;
    }

    private static IEnumerable<string> TextDeltas(IEnumerable<RawMessageStreamEvent> events) =>
        events.Select(e => e.TryPickContentBlockDelta(out var d) && d.Delta.TryPickText(out var t) ? t.Text : "").Where(t => t.Length > 0);
}
