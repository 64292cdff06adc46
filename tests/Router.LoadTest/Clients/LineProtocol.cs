using System.Buffers;

namespace Router.LoadTest.Clients;

/// <summary>Per-request parser of a line-oriented stream (SSE or NDJSON). Returns true on a terminal item.</summary>
internal abstract class LineProtocol(RequestRecord record, IStreamObserver observer)
{
    protected RequestRecord Record { get; } = record;

    /// <summary>Handles one line without its terminating <c>\n</c> (a trailing <c>\r</c> is already removed).</summary>
    public abstract bool OnLine(ReadOnlySpan<byte> line, long ticks);

    /// <summary>Called at end of stream before deciding it closed silently; SSE dispatches a pending event here.</summary>
    public virtual bool OnEndOfStream(long ticks) => false;

    /// <summary>Applies one parsed item; true when it ends the request.</summary>
    protected bool Apply(in StreamEvent e, bool errorEvent, long ticks)
    {
        if (errorEvent || e.Error is not null)
        {
            Record.Outcome = OutcomeKind.ErrorEvent;
            Record.ErrorCode = e.Error ?? "unknown";
            Record.Detail = e.Message;
            Record.EndTicks = ticks;
            return true;
        }

        if (e.HasToken)
        {
            if (Record.Chunks == 0)
            {
                Record.FirstTokenTicks = ticks;
                observer.OnFirstToken(Record);
            }
            else
            {
                Record.Gaps.Add((float)RequestRecord.Ms(ticks - Record.LastChunkTicks));
            }

            Record.Chunks++;
            Record.LastChunkTicks = ticks;
            observer.OnChunk(Record);
        }

        if (e.Done)
        {
            Record.Outcome = OutcomeKind.Done;
            Record.ReportedOutputTokens = e.OutputTokens;
            Record.ServerProcessingMs = e.ProcessingMs;
            Record.Model = e.Model;
            Record.EndTicks = ticks;
            return true;
        }

        return false;
    }

    protected bool Malformed(ReadOnlySpan<byte> item, long ticks)
    {
        Record.Outcome = OutcomeKind.ProtocolError;
        Record.Detail = "invalid JSON item: " + System.Text.Encoding.UTF8.GetString(item[..Math.Min(item.Length, 200)]);
        Record.EndTicks = ticks;
        return true;
    }
}

/// <summary>
/// Server-sent events: <c>event:</c> and <c>data:</c> fields, comments (<c>: keep-alive</c>) ignored,
/// an event dispatched on the blank line that ends it.
/// </summary>
internal sealed class SseProtocol(RequestRecord record, IStreamObserver observer) : LineProtocol(record, observer)
{
    private readonly ArrayBufferWriter<byte> _data = new(512);
    private bool _hasData;
    private bool _errorEvent;

    public override bool OnLine(ReadOnlySpan<byte> line, long ticks)
    {
        if (line.IsEmpty)
        {
            return Dispatch(ticks);
        }

        if (line[0] == (byte)':')
        {
            return false;
        }

        var colon = line.IndexOf((byte)':');
        var field = colon < 0 ? line : line[..colon];
        var value = colon < 0 ? [] : line[(colon + 1)..];
        if (!value.IsEmpty && value[0] == (byte)' ')
        {
            value = value[1..];
        }

        if (field.SequenceEqual("data"u8))
        {
            if (_hasData)
            {
                _data.Write("\n"u8);
            }

            _data.Write(value);
            _hasData = true;
        }
        else if (field.SequenceEqual("event"u8))
        {
            _errorEvent = value.SequenceEqual("error"u8);
        }

        return false;
    }

    public override bool OnEndOfStream(long ticks) => Dispatch(ticks);

    private bool Dispatch(long ticks)
    {
        if (!_hasData)
        {
            _errorEvent = false;
            return false;
        }

        var json = _data.WrittenSpan;
        var errorEvent = _errorEvent;
        _hasData = false;
        _errorEvent = false;
        var terminal = StreamEvent.TryParse(json, out var e) ? Apply(e, errorEvent, ticks) : Malformed(json, ticks);
        _data.ResetWrittenCount();
        return terminal;
    }
}

/// <summary>Ollama's newline-delimited JSON: one object per line, the last with <c>"done":true</c>.</summary>
internal sealed class NdjsonProtocol(RequestRecord record, IStreamObserver observer) : LineProtocol(record, observer)
{
    public override bool OnLine(ReadOnlySpan<byte> line, long ticks)
    {
        if (line.IsWhiteSpace())
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
}

file static class SpanExtensions
{
    public static bool IsWhiteSpace(this ReadOnlySpan<byte> s) => s.Trim(" \t\r"u8).IsEmpty;
}
