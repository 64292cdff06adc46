using Anthropic.Models.Messages;
using Router.OllamaSimulator;

namespace Router.WebFront.Tests.Surfaces.Anthropic;

/// <summary>
/// A stop sequence that ends the answer is named: <c>stop_reason</c> <c>stop_sequence</c> and
/// <c>stop_sequence</c> the matched string, through the official client, plain and streamed. The
/// simulator's answer is its fixed word sequence ("The quick brown fox jumps over the lazy dog …").
/// </summary>
[Collection(AnthropicRouterCollection.Name)]
public sealed class AnthropicStopSequenceTests(AnthropicRouterFixture fixture)
{
    private static MessageCreateParams Ask(string text, params string[] stops) => new()
    {
        Model = AnthropicRouterFixture.AutoAlias,
        MaxTokens = 256,
        Messages = [new UserMessageParam(text)],
        StopSequences = stops,
    };

    private static string Nonce() => Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task The_earliest_matching_sequence_ends_a_plain_answer_and_is_named()
    {
        // "fox j" spans two of the simulator's tokens; "lazy" comes later and must not be the one named.
        var message = await fixture.Client().Messages.Create(Ask($"stop here {Nonce()} [[sim:tokens=20]]", "lazy", "fox j"), Timeouts.Token());

        Assert.Equal(StopReason.StopSequence, message.StopReason!.Value());
        Assert.Equal("fox j", message.StopSequence);
        var text = string.Concat(message.Content.Select(b => b.TryPickText(out var t) ? t.Text : ""));
        Assert.Equal("The quick brown ", text);
    }

    [Fact]
    public async Task A_streamed_answer_ends_with_message_delta_naming_the_sequence()
    {
        var events = new List<RawMessageStreamEvent>();
        await foreach (var e in fixture.Client().Messages.CreateStreaming(Ask($"stop streamed {Nonce()} [[sim:tokens=20]]", "over the"), Timeouts.Token()))
        {
            events.Add(e);
        }

        var text = string.Concat(events.Select(e => e.TryPickContentBlockDelta(out var d) && d.Delta.TryPickText(out var t) ? t.Text : ""));
        Assert.Equal("The quick brown fox jumps ", text);
        var delta = Assert.Single(events.Select(e => e.TryPickDelta(out var d) ? d : null).OfType<RawMessageDeltaEvent>());
        Assert.Equal(StopReason.StopSequence, delta.Delta.StopReason!.Value());
        Assert.Equal("over the", delta.Delta.StopSequence);
        Assert.True(events[^1].TryPickStop(out _), "message_stop comes last");
    }

    [Fact]
    public async Task A_sequence_that_never_comes_leaves_the_whole_answer_and_end_turn()
    {
        var message = await fixture.Client().Messages.Create(Ask($"no stop {Nonce()} [[sim:tokens=8]]", "zebra", "dog while a"), Timeouts.Token());

        Assert.Equal(StopReason.EndTurn, message.StopReason!.Value());
        Assert.Null(message.StopSequence);
        Assert.Equal(SimulatedText.Text(8), string.Concat(message.Content.Select(b => b.TryPickText(out var t) ? t.Text : "")));
    }
}
