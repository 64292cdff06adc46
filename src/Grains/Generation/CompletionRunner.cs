using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Router.Grains.Diagnostics;
using Microsoft.Extensions.AI;
using Router.Grains.Generation.Mapping;
using Router.Grains.Generation.Usage;
using Router.Grains.Interfaces;
using Router.Grains.Interfaces.Keys;
using Router.Grains.Options;

namespace Router.Grains.Generation;

/// <summary>
/// Runs generations on the thread pool, outside any grain call, and publishes their chunks on the
/// request's completion stream. Every run ends the stream with a done or error item, then reports
/// its outcome to the session grain that started it. What a run published stays resumable
/// (<see cref="ResumableAnswers"/>) while it runs and, when its request asked, for a window after.
/// A run owns its request's key lease and settles it with what the backend processed, however it ends.
/// </summary>
public sealed class CompletionRunner(
    IClusterClient client,
    ICompletionStreams streams,
    ModelBackends backends,
    IOptions<GenerationOptions> generationOptions,
    RouterInstruments instruments,
    ILogger<CompletionRunner> logger)
{
    // More locks than the default (one per core): every answer adds and removes its job, and two cores
    // contended on the default's locks in a burst.
    private readonly ConcurrentDictionary<Guid, CompletionJob> _jobs = new(concurrencyLevel: 64, capacity: 256);
    private readonly ResumableAnswers _answers = new(streams, generationOptions.Value);
    private readonly OutcomeRecorder _recorder = new(client, logger);
    private readonly ReplayBudget _replayBudget = new(generationOptions.Value.RunningReplayBytes);
    private readonly ForbiddenStarts _forbidden = new();

    /// <summary>A full queue drains within a poll period or two: the terminal item is retried briefly before giving up.</summary>
    private readonly ResiliencePipeline _terminalPublish = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(),
            MaxRetryAttempts = 5,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(20),
            UseJitter = false,
        })
        .Build();

    private ChunkedGeneration? _chunked;
    private volatile CompletionError? _stopReason;
    private volatile bool _stopping;

    /// <summary>How many generations are running on this silo.</summary>
    public int Running => _jobs.Count;

    /// <summary>Backend reading and chunk publishing; its coalescing window follows <see cref="Running"/>.</summary>
    private ChunkedGeneration Chunked => _chunked ??= new(generationOptions.Value, () => _jobs.Count);

    /// <summary>True once the silo began to stop: new generations belong on another silo.</summary>
    public bool IsStopping => _stopping;

    /// <summary>Starts a generation and returns at once; null when its id was forbidden here (<see cref="Forbid"/>).</summary>
    public CompletionJob? Start(CompletionJobSpec spec)
    {
        if (_forbidden.Contains(spec.RequestId)) return null;
        spec = spec with { Settings = Capped(spec.Settings) };
        var job = new CompletionJob(spec)
        {
            Publisher = new LanePublisher(streams.ForLane(spec.ReplyLane), spec.RequestId, generationOptions.Value.ReplayLogBytes, _replayBudget, spec.Model),
        };
        _jobs[spec.RequestId] = job;
        if (_stopReason is { } reason)
        {
            job.Abort(reason);
        }

        instruments.GenerationStarted();
        GrainsLog.GenerationStarted(logger, spec.RequestId, spec.UserId, spec.Model);
        var parent = Activity.Current?.Context ?? default;
        _ = Task.Run(() => RunAsync(job, parent));
        return job;
    }

    private async Task RunAsync(CompletionJob job, ActivityContext parent)
    {
        var spec = job.Spec;
        using var activity = RouterActivitySources.StartGeneration(spec, parent);
        var stream = job.Publisher;
        var result = new GenerationResult { Started = spec.StartedTimestamp };
        CompletionEvent? terminal;
        string? errorCode = null;
        IChatClient? backend = null;
        var stopped = false;
        try
        {
            backend = backends.Find(spec.Model, out var kind);
            if (backend is null)
            {
                result.Text.Append(StandardResponse(spec));
                await Chunked.PublishAsync(stream, CompletionEvent.Chunk(spec.Model, result.Text.ToString()), result);
            }
            else
            {
                await Chunked.GenerateAsync(backend, kind, backends.DirectStream(spec.Model), stream, job, result);
            }

            terminal = CompletionEvent.Completed(spec.Model, AnswerUsage.Summarize(spec, result, backend is not null, failed: false, ElapsedMs(spec)));
        }
        catch (Exception) when (job.Token.IsCancellationRequested && job.AbortReason is { } abort)
        {
            // The router stopped it (the silo is stopping, or its client left for longer than the
            // grace): a client listening now, or resuming later, must learn why the answer ends here.
            errorCode = abort.Code;
            terminal = CompletionEvent.Failed(spec.Model, abort.Code, abort.Message);
        }
        catch (Exception) when (job.Token.IsCancellationRequested)
        {
            // The client went away: nobody listens any more, so nothing is published.
            errorCode = ErrorCodes.Cancelled;
            terminal = null;
        }
        catch (Exception ex)
        {
            var error = ex switch
            {
                StreamPublishException { InnerException: InvalidOperationException } =>
                    new CompletionError(ErrorCodes.StreamOverloaded, "The router's stream queue is full; the answer could not be delivered."),
                StreamPublishException =>
                    new CompletionError(ErrorCodes.SiloUnavailable, "The router lost the stream carrying this answer; please retry."),
                _ => BackendErrors.Describe(ex, spec.Model),
            };
            errorCode = error.Code;
            GrainsLog.GenerationFailed(logger, ex, spec.RequestId, spec.Model, error.Code, backends.DescribeOllama(spec.Model));
            terminal = CompletionEvent.Failed(spec.Model, error.Code, error.Message);
        }
        finally
        {
            var outcome = errorCode ?? "done";
            activity.SetOutcome(outcome);
            instruments.GenerationEnded(spec.Model, outcome, result.OutputTokens ?? 0, result.Chunks);
            GrainsLog.GenerationEnded(logger, spec.RequestId, outcome, ElapsedMs(spec), result.Chunks, result.FirstTokenMs, result.FirstChunkMs);
            stopped = errorCode is not null && job.Token.IsCancellationRequested;
            job.Release();
        }

        // A failed answer carries what its backend processed until then, for its bill.
        if (terminal is { Kind: CompletionEventKind.Error }) terminal = terminal with { Summary = AnswerUsage.Summarize(spec, result, backend is not null, failed: true, ElapsedMs(spec)) };
        if (result.CapHit is { } cap) GrainsLog.OutputCapped(logger, spec.RequestId, cap);
        await SettleAsync(spec, result, stopped);

        // The session learns the outcome before the client does, so a client that sends its next
        // prompt right after "done" finds this turn in the context; its store write happens behind,
        // and this run holds the outcome until the write is done.
        try
        {
            var outcome = await _recorder.ReportAsync(spec.UserId, new CompletionOutcome(
                spec.RequestId, spec.Message, spec.Model, result.Text.ToString(),
                result.PromptTokens ?? 0, result.OutputTokens ?? 0, errorCode, spec.Stateless));
            if (terminal is not null)
            {
                await PublishTerminalAsync(stream, spec, terminal);
            }

            await _recorder.EnsureRecordedAsync(spec.UserId, outcome);
        }
        finally
        {
            // Kept before it leaves the running set, so a resume always finds it in one or the other.
            _answers.Keep(job);
            job.Publisher.ReturnBudget();
            _jobs.TryRemove(spec.RequestId, out _);
        }
    }

    /// <summary>Stops a running generation of this silo (its client went away); unknown ids are ignored.</summary>
    public void Cancel(Guid requestId)
    {
        if (_jobs.TryGetValue(requestId, out var job)) job.Cancel();
    }

    /// <summary>Stops the generation of <paramref name="requestId"/> if it runs here and refuses its start from now on; true when it was running.</summary>
    public bool Forbid(Guid requestId)
    {
        _forbidden.Add(requestId);
        if (!_jobs.TryGetValue(requestId, out var job)) return false;
        job.Cancel();
        return true;
    }

    /// <summary>The client of a running generation left; it goes on for <paramref name="grace"/> unless resumed. Unknown ids are ignored.</summary>
    public Task DetachAsync(Guid requestId, StreamId lane, TimeSpan grace) =>
        _jobs.TryGetValue(requestId, out var job) ? _answers.DetachAsync(job, lane, grace) : Task.CompletedTask;

    /// <summary>Continues an answer of this silo on another lane (see <see cref="IGenerationOwnerGrain.ResumeAsync"/>).</summary>
    public Task<ResumeTicket?> ResumeAsync(ResumeRequest request) =>
        _answers.ResumeAsync(_jobs.TryGetValue(request.RequestId, out var job) ? job : null, request);

    /// <summary>
    /// Lets running generations finish for up to <paramref name="drainTime"/>, then stops the rest
    /// (and any started later) so each ends its stream with <paramref name="reason"/>; returns when
    /// all have ended or <paramref name="cancellationToken"/> fires.
    /// </summary>
    public async Task DrainAsync(TimeSpan drainTime, CompletionError reason, CancellationToken cancellationToken)
    {
        _stopping = true;
        await WaitForIdleAsync(drainTime, cancellationToken);
        _stopReason = reason;
        foreach (var job in _jobs.Values)
        {
            job.Abort(reason);
        }

        // Aborted runs still publish their error item; give them a moment to do so.
        await WaitForIdleAsync(TimeSpan.FromSeconds(5), cancellationToken);
    }

    private async Task WaitForIdleAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (!_jobs.IsEmpty && Stopwatch.GetElapsedTime(started) < limit && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None);
        }
    }

    private async Task PublishTerminalAsync(LanePublisher stream, CompletionJobSpec spec, CompletionEvent terminal)
    {
        try
        {
            await _terminalPublish.ExecuteAsync(static async (state, _) => await state.stream.PublishAsync(state.terminal), (stream, terminal));
        }
        catch (Exception ex)
        {
            GrainsLog.TerminalNotPublished(logger, ex, spec.RequestId);
        }
    }

    /// <summary>The client's output limit, never above <see cref="GenerationOptions.MaxOutputTokens"/>: the backend always gets one.</summary>
    private GenerationSettings Capped(GenerationSettings? settings)
    {
        var cap = generationOptions.Value.MaxOutputTokens;
        return settings is null ? new GenerationSettings(MaxTokens: cap)
            : settings.MaxTokens is { } asked && asked <= cap ? settings
            : settings with { MaxTokens = cap };
    }

    /// <summary>
    /// Settles the run's key lease with the tokens the backend processed: its own counts when it
    /// reported them; otherwise the prompt's estimate once the backend had it (it answered, or was
    /// stopped while working) and the output written so far, a token per four bytes. Never throws.
    /// </summary>
    private async Task SettleAsync(CompletionJobSpec spec, GenerationResult result, bool stopped)
    {
        if (spec.Lease is not { } lease) return;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await client.GetGrain<IApiKeyGrain>(lease.KeyId).ReleaseAsync(new LeaseRelease(lease.LeaseId, Charged(spec, result, stopped)), timeout.Token);
        }
        catch (Exception ex)
        {
            GrainsLog.LeaseNotSettled(logger, ex, spec.RequestId);
        }
    }

    internal static long Charged(CompletionJobSpec spec, GenerationResult result, bool stopped)
    {
        var processed = result.FirstTokenMs is not null || (stopped && result.BackendAsked);
        var prompt = result.PromptTokens ?? (processed ? spec.PromptEstimate : 0);
        var output = result.OutputTokens ?? (result.OutputBytes + 3) / 4;
        return prompt + output;
    }

    internal static string StandardResponse(CompletionJobSpec spec) =>
        $"This request was routed to '{spec.Model}'{(spec.Category is null ? "" : $" (category: {spec.Category})")}. " +
        "That model has no streaming backend configured on this router, so this standard response is returned instead.";

    private static long ElapsedMs(CompletionJobSpec spec) => (long)Stopwatch.GetElapsedTime(spec.StartedTimestamp).TotalMilliseconds;
}
