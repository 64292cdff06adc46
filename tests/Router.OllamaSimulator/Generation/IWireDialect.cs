using System.IO.Pipelines;

namespace Router.OllamaSimulator.Generation;

/// <summary>
/// How one API family (Ollama's NDJSON, OpenAI's server-sent events) frames answers and errors. The
/// generation loop is the same for every family; only the bytes it writes differ.
/// </summary>
internal interface IWireDialect
{
    /// <summary>Content type of a streamed answer.</summary>
    string StreamContentType { get; }

    /// <summary>The error text of a mid-stream failure (<c>fail</c> directive).</summary>
    string MidStreamError { get; }

    IAnswerWriter CreateWriter(PipeWriter pipe, SimulatedRequest request);

    string ModelNotFound(string model);

    string ForStatus(int status);

    /// <summary>Answers an error status with this family's error body.</summary>
    Task WriteErrorAsync(HttpContext context, int status, string message);
}

/// <summary>Writes one request's answer into the response pipe; the caller flushes.</summary>
internal interface IAnswerWriter : IDisposable
{
    /// <summary>One streamed step of the request's <see cref="AnswerScript"/>: a thinking or text token, or a tool call.</summary>
    void WriteStep(int index);

    /// <summary>The end of a streamed answer (final object, counters, terminators).</summary>
    void WriteEnd(string finishReason, in GenerationTimings timings);

    /// <summary>A failure after streaming has begun, in the family's in-band form.</summary>
    void WriteError(string message);

    /// <summary>A whole non-streamed answer: the first <paramref name="steps"/> steps of the script in one object.</summary>
    void WriteWhole(int steps, string finishReason, in GenerationTimings timings);
}

/// <summary>Durations in nanoseconds and counts reported at the end of an answer, like Ollama's.</summary>
internal readonly record struct GenerationTimings(
    long TotalDurationNs,
    long LoadDurationNs,
    int PromptEvalCount,
    long PromptEvalDurationNs,
    int EvalCount,
    long EvalDurationNs);
