using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using Router.Grains.Generation;
using Router.Grains.Generation.Mapping;
using Router.Grains.Interfaces;

namespace Router.Grains.Tests.Generation;

/// <summary>
/// A property of the coalescer over many answers: whatever the pieces (text, thinking, tool calls, with
/// multi-byte and surrogate-pair characters), their timing, the window and which publishes stay in
/// flight for a while, the chunks joined give back exactly the pieces in order: nothing reordered,
/// dropped or repeated, and no empty chunk. Each answer is generated from its seed, time is a fake
/// clock and every continuation runs on the driving thread, so a failing seed replays the same way.
/// </summary>
public sealed class ChunkCoalescerTests
{
    private static readonly string[] Fragments = ["a", "bc", " the", "é", "漢字", "😀", "x😀y", "\n", "{\"k\":1}", "ß"];

    private static readonly TimeSpan[] Windows = [TimeSpan.Zero, TimeSpan.FromMilliseconds(2), TimeSpan.FromMilliseconds(20)];

    [Fact]
    public async Task Chunks_joined_give_back_every_piece_in_order_for_any_timing_window_and_held_publish()
    {
        var merged = 0;
        for (var seed = 0; seed < 300; seed++)
        {
            merged += await RunAnswerAsync(seed);
        }

        // The property would hold trivially if every piece went out alone: the runs must have merged some.
        Assert.True(merged > 0, "no run ever merged two pieces into one chunk; the timings under test did not exercise coalescing");
    }

    /// <summary>One answer from its seed; returns how many pieces were merged into another's chunk.</summary>
    private static async Task<int> RunAnswerAsync(int seed)
    {
        var script = new Random(seed);
        var publishing = new Random(seed + 100_000);
        var time = new FakeTimeProvider();
        var window = Windows[seed % Windows.Length];
        var pieces = Channel.CreateUnbounded<AnswerPiece>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true, AllowSynchronousContinuations = true });
        var published = new List<CompletionEvent>();
        var held = new Queue<TaskCompletionSource>();
        var coalescer = new ChunkCoalescer(() => window, time);
        var consumer = coalescer.RunAsync(pieces.Reader, "m", item =>
        {
            published.Add(item);
            if (publishing.Next(3) > 0) return Task.CompletedTask;
            var hold = new TaskCompletionSource();
            held.Enqueue(hold);
            return hold.Task;
        });

        var (text, reasoning, calls) = (new StringBuilder(), new StringBuilder(), new List<ToolCallDelta>());
        var count = script.Next(1, 80);
        for (var i = 0; i < count; i++)
        {
            var roll = script.Next(10);
            if (roll < 7)
            {
                var t = Fragments[script.Next(Fragments.Length)];
                text.Append(t);
                Assert.True(pieces.Writer.TryWrite(new AnswerPiece(PartKind.Text, t)));
            }
            else if (roll < 9)
            {
                var r = Fragments[script.Next(Fragments.Length)];
                reasoning.Append(r);
                Assert.True(pieces.Writer.TryWrite(new AnswerPiece(PartKind.Reasoning, r)));
            }
            else
            {
                var call = new ToolCallDelta(calls.Count, $"call_{calls.Count}", "lookup", "{}");
                calls.Add(call);
                Assert.True(pieces.Writer.TryWrite(new AnswerPiece(PartKind.ToolCall, "", call)));
            }

            // Between pieces: time passes (0 to 5 ms, so some land inside the window), and held publishes may end.
            time.Advance(TimeSpan.FromMicroseconds(script.Next(0, 5_000)));
            while (held.Count > 0 && script.Next(2) == 0) held.Dequeue().SetResult();
        }

        pieces.Writer.Complete();
        for (var spin = 0; !consumer.IsCompleted && spin < 1_000; spin++)
        {
            while (held.Count > 0) held.Dequeue().SetResult();
            time.Advance(TimeSpan.FromMilliseconds(25));
            await Task.Yield();
        }

        await consumer.WaitAsync(TimeSpan.FromSeconds(30));
        var context = $"seed {seed}, window {window.TotalMilliseconds} ms, {count} pieces, {published.Count} chunks";
        Assert.All(published, c => Assert.True(c.Text.Length > 0 || c.Reasoning is { Length: > 0 } || c.ToolCalls is { Count: > 0 }, $"an empty chunk went out ({context})"));
        Assert.Equal(text.ToString(), string.Concat(published.Select(c => c.Text)));
        Assert.Equal(reasoning.ToString(), string.Concat(published.Select(c => c.Reasoning ?? "")));
        Assert.Equal(calls, published.SelectMany(c => c.ToolCalls ?? []));
        Assert.True(published.Count <= count, $"more chunks than pieces ({context})");
        return count - published.Count;
    }
}
