using System.Text;
using System.Threading.Channels;
using Router.Grains.Generation.Mapping;
using Router.Grains.Interfaces;

namespace Router.Grains.Generation;

/// <summary>
/// Turns the pieces of one answer into chunks. Pieces that queue up while a publish is in flight go
/// out together in the next chunk, so chunks grow with load. After the first chunk, chunks are at
/// least a window apart: a piece that comes sooner waits out the rest of the window and gathers
/// those behind it; a piece that comes later (a model slower than the window) goes out at once,
/// with no timer and no added delay. Text and thinking gather apart; tool calls keep their order.
/// </summary>
/// <param name="window">The least time between two chunks, read before each one (it grows with load).</param>
/// <param name="time">Clocks and delays; the system's in production, a fake one in tests.</param>
internal sealed class ChunkCoalescer(Func<TimeSpan> window, TimeProvider time)
{
    /// <summary>Reads <paramref name="reader"/> to its end, publishing each chunk and awaiting it before the next.</summary>
    public async Task RunAsync(ChannelReader<AnswerPiece> reader, string model, Func<CompletionEvent, Task> publish)
    {
        var text = new StringBuilder();
        StringBuilder? reasoning = null;
        List<ToolCallDelta>? calls = null;
        var first = true;
        var lastPublished = 0L;
        while (await reader.WaitToReadAsync())
        {
            if (!first && window() - time.GetElapsedTime(lastPublished) is var rest && rest > TimeSpan.Zero)
            {
                await Task.Delay(rest, time);
            }

            text.Clear();
            reasoning?.Clear();
            calls = null;
            while (reader.TryRead(out var piece))
            {
                switch (piece.Kind)
                {
                    case PartKind.Text:
                        text.Append(piece.Text);
                        break;
                    case PartKind.Reasoning:
                        (reasoning ??= new StringBuilder()).Append(piece.Text);
                        break;
                    default:
                        (calls ??= []).Add(piece.ToolCall!);
                        break;
                }
            }

            if (text.Length == 0 && reasoning is not { Length: > 0 } && calls is null) continue;
            var item = reasoning is not { Length: > 0 } && calls is null
                ? CompletionEvent.Chunk(model, text.ToString())
                : CompletionEvent.Chunk(model, text.ToString(), reasoning is { Length: > 0 } ? reasoning.ToString() : null, calls);
            await publish(item);
            lastPublished = time.GetTimestamp();
            first = false;
        }
    }
}
