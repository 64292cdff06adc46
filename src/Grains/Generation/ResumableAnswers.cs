using Microsoft.Extensions.Caching.Memory;
using Router.Grains.Interfaces;
using Router.Grains.Options;

namespace Router.Grains.Generation;

/// <summary>
/// The resumable side of a silo's generations. A running answer's items are in its
/// <see cref="LanePublisher"/>; a finished one's stay here for its resume window, in a cache bounded
/// by <see cref="GenerationOptions.ReplayCacheBytes"/> (the oldest go first when it is full). No
/// Orleans state is made per request: a silo that dies takes its logs with it, and then there is
/// nothing to resume (the web front says so).
/// </summary>
internal sealed class ResumableAnswers(ICompletionStreams streams, GenerationOptions options) : IDisposable
{
    private static readonly CompletionError NotResumed = new(ErrorCodes.Cancelled,
        "The client left and did not come back within the grace; the answer was stopped.");

    private readonly MemoryCache _finished = new(new MemoryCacheOptions { SizeLimit = options.ReplayCacheBytes });

    /// <summary>Keeps a finished answer's log for its window, when it asked for one and the log is whole.</summary>
    public void Keep(CompletionJob job)
    {
        var log = job.Publisher;
        if (job.Spec.ResumeWindow is not { } window || window <= TimeSpan.Zero || log.Overflowed || !log.Finished) return;
        var spec = job.Spec;
        _finished.Set(spec.RequestId, new KeptAnswer(spec.UserId, spec.Model, spec.Category, spec.Confidence, log, spec.Lease),
            new MemoryCacheEntryOptions { Size = Math.Max(1, log.LogBytes), AbsoluteExpirationRelativeToNow = window });
    }

    /// <summary>
    /// The client on <paramref name="lane"/> left: keep generating (into the log only) for <paramref name="grace"/>, then stop
    /// unless a resume came in between. The stop ends the log with an error item, so a resume
    /// later in the window still ends properly.
    /// </summary>
    public async Task DetachAsync(CompletionJob job, StreamId lane, TimeSpan grace)
    {
        var log = job.Publisher;
        if (await log.DetachAsync(lane) is not { } epoch) return;
        _ = Task.Delay(grace).ContinueWith(
            _ =>
            {
                if (log.Epoch == epoch && !log.Finished) job.Abort(NotResumed);
            },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Resumes <paramref name="running"/>, or else a finished answer kept here; null when there is none for that user.</summary>
    public async Task<ResumeTicket?> ResumeAsync(CompletionJob? running, ResumeRequest request)
    {
        if (request.FinishedOnly && running is not null) return null;
        var answer = running is { Spec: var s }
            ? new KeptAnswer(s.UserId, s.Model, s.Category, s.Confidence, running.Publisher, s.Lease)
            : _finished.TryGetValue(request.RequestId, out KeptAnswer? kept) ? kept : null;

        // Another user's answer is answered exactly like an unknown one.
        if (answer is null || !string.Equals(answer.UserId, request.UserId, StringComparison.Ordinal)) return null;
        if (!await answer.Log.ResumeAsync(request.AfterSequence, streams.ForLane(request.ReplyLane))) return null;
        return new ResumeTicket(answer.Model, answer.Category, answer.Confidence, answer.Log.Finished, answer.Lease);
    }

    public void Dispose() => _finished.Dispose();

    private sealed record KeptAnswer(string UserId, string Model, string? Category, double? Confidence, LanePublisher Log, Interfaces.Keys.KeyLease? Lease);
}
