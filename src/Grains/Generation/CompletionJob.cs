using Router.Grains.Interfaces;
using Router.Grains.Interfaces.Keys;

namespace Router.Grains.Generation;

/// <summary>What a generation needs to know, handed from the session grain to the runner.</summary>
/// <param name="History">The conversation before <paramref name="Message"/>, oldest first.</param>
/// <param name="StartedTimestamp">Stopwatch timestamp of the moment the session received the request.</param>
/// <param name="ReplyLane">Key of the web front's lane the items go to.</param>
/// <param name="Confidence">The classifier's confidence, for a resumed answer's headers.</param>
/// <param name="ResumeWindow">How long the answer's items are kept after its end for a resume; null: not after its end.</param>
/// <param name="Input">The whole input when the client owns its conversation; <paramref name="History"/> is then empty.</param>
/// <param name="Lease">The key lease the generation settles when it ends; null when nothing is charged.</param>
/// <param name="PromptEstimate">The prompt's estimated tokens, charged when the backend reports none.</param>
/// <param name="Stateless">The exchange is not recorded as a turn of the session.</param>
public sealed record CompletionJobSpec(
    string UserId,
    Guid RequestId,
    string Message,
    string Model,
    string? Category,
    IReadOnlyList<ChatTurn> History,
    long StartedTimestamp,
    string ReplyLane,
    GenerationSettings? Settings = null,
    double? Confidence = null,
    TimeSpan? ResumeWindow = null,
    ModelInput? Input = null,
    KeyLease? Lease = null,
    long PromptEstimate = 0,
    bool Stateless = false);

/// <summary>A running generation: its spec, the switch that stops it and the publisher of its items.</summary>
public sealed class CompletionJob(CompletionJobSpec spec)
{
    private readonly CancellationTokenSource _cancellation = new();

    public CompletionJobSpec Spec { get; } = spec;

    /// <summary>Publishes the items and keeps them for a resume.</summary>
    internal LanePublisher Publisher { get; init; } = null!;

    /// <summary>Cancelled when the client went away; aborts the backend request.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <summary>Set when the silo stopped the generation; its stream then ends with this error.</summary>
    public CompletionError? AbortReason { get; private set; }

    /// <summary>Stops the generation on the router's behalf; the client is told why.</summary>
    public void Abort(CompletionError reason)
    {
        AbortReason ??= reason;
        Cancel();
    }

    /// <summary>Stops the generation; safe to call more than once and after it ended.</summary>
    public void Cancel()
    {
        try
        {
            _cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    internal void Release() => _cancellation.Dispose();
}

/// <summary>A chunk could not be put on the completion stream (for example, the queue is full).</summary>
internal sealed class StreamPublishException(Exception inner) : Exception("publishing to the completion stream failed", inner);
