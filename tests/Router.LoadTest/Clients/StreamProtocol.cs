namespace Router.LoadTest.Clients;

/// <summary>Per-request reader of a streamed answer (SSE or NDJSON) that records each item as it arrives.</summary>
internal abstract class StreamProtocol(RequestRecord record, IStreamObserver observer)
{
    protected RequestRecord Record { get; } = record;

    /// <summary>Reads the answer up to its terminal item; false when the stream ended without one.</summary>
    public abstract Task<bool> ReadAsync(Stream body, CancellationToken ct);

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
