using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using Router.Grains.Generation.Mapping;
using Router.Grains.Interfaces;

namespace Router.Grains.Generation;

/// <summary>
/// Where a backend's reading puts the pieces of one answer: counted on the result, held back while
/// they may begin a stop sequence, and written to the coalescer's channel. After each backend update
/// <see cref="EndOfUpdate"/> says whether to stop reading: a stop sequence matched or a cap was reached.
/// </summary>
internal sealed class AnswerPieceWriter(CompletionJobSpec spec, OutputCaps caps, ChannelWriter<AnswerPiece> writer, GenerationResult result)
{
    private readonly StopSequenceMatcher? _stops = spec.Settings?.Stop is { Count: > 0 } sequences ? new StopSequenceMatcher(sequences) : null;

    /// <summary>The answer so far: usage and finish reason are recorded on it by the reading.</summary>
    public GenerationResult Result => result;

    /// <summary>Takes one piece; pieces after a matched stop sequence are dropped.</summary>
    public ValueTask WriteAsync(AnswerPiece piece)
    {
        if (_stops is null) return WriteOutAsync(piece);
        return _stops.Matched is null ? WriteHeldAsync(piece) : ValueTask.CompletedTask;
    }

    /// <summary>True when reading should stop: a stop sequence matched (the answer finished with <c>stop</c>) or a cap was reached.</summary>
    public bool EndOfUpdate()
    {
        if (_stops?.Matched is { } matched)
        {
            result.FinishReason = "stop";
            result.StopSequence = matched;
            return true;
        }

        return caps.Reached(result);
    }

    /// <summary>Writes out what a stop sequence still held when the answer ended without one.</summary>
    public async ValueTask FlushAsync()
    {
        if (_stops?.Flush() is { Length: > 0 } rest) await WriteOutAsync(new AnswerPiece(PartKind.Text, rest));
    }

    private async ValueTask WriteHeldAsync(AnswerPiece piece)
    {
        if (piece.Kind != PartKind.Text)
        {
            if (_stops!.Flush() is { Length: > 0 } held) await WriteOutAsync(new AnswerPiece(PartKind.Text, held));
            await WriteOutAsync(piece);
        }
        else if (_stops!.Push(piece.Text) is { Length: > 0 } text)
        {
            await WriteOutAsync(piece with { Text = text });
        }
    }

    private ValueTask WriteOutAsync(AnswerPiece piece)
    {
        result.FirstTokenMs ??= Stopwatch.GetElapsedTime(result.Started).TotalMilliseconds;
        if (piece.Kind == PartKind.Text) result.Text.Append(piece.Text);
        result.Pieces++;
        result.RelayedChars += piece.Text.Length + (piece.ToolCall?.Arguments.Length ?? 0) + (piece.ToolCall?.Name?.Length ?? 0);
        result.OutputBytes += Encoding.UTF8.GetByteCount(piece.Text) + (piece.ToolCall?.Arguments is { } arguments ? Encoding.UTF8.GetByteCount(arguments) : 0);
        return writer.WriteAsync(piece, caps.Token);
    }
}
