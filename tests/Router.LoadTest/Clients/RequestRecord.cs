using System.Diagnostics;

namespace Router.LoadTest.Clients;

/// <summary>How a request ended. Everything but <see cref="Done"/> counts as an error, except <see cref="Cancelled"/>.</summary>
internal enum OutcomeKind
{
    /// <summary>The terminal success event arrived (router <c>done:true</c>, Ollama <c>"done":true</c>).</summary>
    Done,

    /// <summary>A terminal error event inside the stream (router <c>event: error</c>, Ollama <c>{"error":...}</c>).</summary>
    ErrorEvent,

    /// <summary>A non-success HTTP status before the stream started.</summary>
    HttpStatus,

    /// <summary>The per-request client timeout fired.</summary>
    Timeout,

    /// <summary>The stream ended without a done or error event.</summary>
    ClosedSilently,

    /// <summary>No response: connection refused, reset or failed before the headers.</summary>
    RequestFailed,

    /// <summary>The connection broke while the stream was being read.</summary>
    StreamFailed,

    /// <summary>A 2xx answer that is not the expected stream, or a stream item that is not valid JSON.</summary>
    ProtocolError,

    /// <summary>The run was interrupted (Ctrl+C); not an error of the target.</summary>
    Cancelled,
}

/// <summary>Everything measured about one request. Timestamps are <see cref="Stopwatch.GetTimestamp"/> ticks.</summary>
internal sealed class RequestRecord
{
    public long Index { get; init; }

    public bool Warmup { get; init; }

    public long StartTicks { get; set; }

    /// <summary>Arrival of the first non-empty token chunk; 0 when none arrived.</summary>
    public long FirstTokenTicks { get; set; }

    public long LastChunkTicks { get; set; }

    public long EndTicks { get; set; }

    /// <summary>Non-empty token chunks received.</summary>
    public int Chunks { get; set; }

    /// <summary>Gaps between consecutive token chunks, in milliseconds.</summary>
    public List<float> Gaps { get; } = new(64);

    /// <summary>Output tokens reported by the terminal event (<c>output_tokens</c> / <c>eval_count</c>); -1 when absent.</summary>
    public int ReportedOutputTokens { get; set; } = -1;

    /// <summary>Server-side processing time from the terminal event (<c>processing_ms</c> / <c>total_duration</c>); -1 when absent.</summary>
    public double ServerProcessingMs { get; set; } = -1;

    public string? Model { get; set; }

    public OutcomeKind Outcome { get; set; }

    /// <summary>Error code from the error event, when there is one.</summary>
    public string? ErrorCode { get; set; }

    public int HttpStatus { get; set; }

    /// <summary>Human-readable detail of an error (message text, body excerpt, exception message).</summary>
    public string? Detail { get; set; }

    public bool IsError => Outcome is not (OutcomeKind.Done or OutcomeKind.Cancelled);

    /// <summary>Tokens for throughput: the server's own count when reported, otherwise chunks.</summary>
    public int Tokens => ReportedOutputTokens >= 0 ? ReportedOutputTokens : Chunks;

    /// <summary>Key used in "errors by kind": <c>done</c>, <c>error:&lt;code&gt;</c>, <c>http_503</c>, <c>timeout</c>, ...</summary>
    public string OutcomeKey => Outcome switch
    {
        OutcomeKind.Done => "done",
        OutcomeKind.ErrorEvent => "error:" + (ErrorCode ?? "unknown"),
        OutcomeKind.HttpStatus => "http_" + HttpStatus.ToString(System.Globalization.CultureInfo.InvariantCulture),
        OutcomeKind.Timeout => "timeout",
        OutcomeKind.ClosedSilently => "closed_silently",
        OutcomeKind.RequestFailed => "request_failed",
        OutcomeKind.StreamFailed => "stream_failed",
        OutcomeKind.ProtocolError => "protocol_error",
        OutcomeKind.Cancelled => "cancelled",
        _ => Outcome.ToString(),
    };

    public double TtftMs => FirstTokenTicks == 0 ? double.NaN : Ms(FirstTokenTicks - StartTicks);

    public double TotalMs => Ms(EndTicks - StartTicks);

    public static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
