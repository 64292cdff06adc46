using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;

namespace Router.LoadTest.Clients;

/// <summary>Ollama's newline-delimited JSON: one object per line, the last with <c>"done":true</c>.</summary>
internal sealed class NdjsonProtocol(RequestRecord record, IStreamObserver observer) : StreamProtocol(record, observer)
{
    public override async Task<bool> ReadAsync(Stream body, CancellationToken ct)
    {
        var reader = PipeReader.Create(body, new StreamPipeReaderOptions(bufferSize: 8192, minimumReadSize: 2048));
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(ct).ConfigureAwait(false);
                // One timestamp per read: every item that arrived together arrived at this instant.
                var now = Stopwatch.GetTimestamp();
                var buffer = result.Buffer;
                while (TryReadLine(ref buffer, out var line))
                {
                    if (OnLine(line, now)) return true;
                }

                if (result.IsCompleted)
                {
                    return !buffer.IsEmpty && OnLine(buffer, now);
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private bool OnLine(in ReadOnlySequence<byte> sequence, long ticks)
    {
        // A line split across buffer segments (rare) is copied; the usual one is read in place.
        ReadOnlySpan<byte> line = sequence.IsSingleSegment ? sequence.FirstSpan : sequence.ToArray();
        if (!line.IsEmpty && line[^1] == (byte)'\r') line = line[..^1];
        if (line.Trim(" \t"u8).IsEmpty)
        {
            return false;
        }

        if (!StreamEvent.TryParse(line, out var e))
        {
            return Malformed(line, ticks);
        }

        if (e.Error is not null)
        {
            // Ollama's mid-stream error carries human text, not a code: one kind, the text as the example.
            e.Message = e.Error;
            e.Error = "ollama_error";
        }

        return Apply(e, errorEvent: false, ticks);
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var position = buffer.PositionOf((byte)'\n');
        if (position is null)
        {
            line = default;
            return false;
        }

        line = buffer.Slice(0, position.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, position.Value));
        return true;
    }
}
