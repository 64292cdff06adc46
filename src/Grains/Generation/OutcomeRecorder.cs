using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Router.Grains.Diagnostics;
using Router.Grains.Interfaces;

namespace Router.Grains.Generation;

/// <summary>
/// Reports a generation's outcome to the session that started it, and holds the outcome until the
/// session has it in its store: a session lost with its silo before the write behind finished gets
/// it again, so a turn the client saw completed is not lost.
/// </summary>
internal sealed class OutcomeRecorder
{
    private readonly IClusterClient _client;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline<bool> _untilStored;

    public OutcomeRecorder(IClusterClient client, ILogger logger)
    {
        _client = client;
        _logger = logger;

        // Retried while the session cannot be reached or does not have the outcome stored; the
        // pause grows only after a failure (a "not stored" answer already waited for the write).
        _untilStored = new ResiliencePipelineBuilder<bool>()
            .AddRetry(new RetryStrategyOptions<bool>
            {
                ShouldHandle = new PredicateBuilder<bool>().Handle<Exception>().HandleResult(false),
                MaxRetryAttempts = 5,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromMilliseconds(200),
                UseJitter = false,
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(args.Outcome.Exception is null ? TimeSpan.Zero : null),
                OnRetry = args =>
                {
                    if (args.Outcome.Exception is { } ex && args.Context.Properties.TryGetValue(OutcomeKey, out var outcome))
                    {
                        GrainsLog.OutcomeNotRecorded(_logger, ex, outcome.RequestId, outcome.UserId);
                    }

                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    private static readonly ResiliencePropertyKey<(Guid RequestId, string UserId)> OutcomeKey = new("router.outcome");

    /// <summary>Applies the outcome to the session (the next request sees the turn); a failure is logged, the hold below repeats it.</summary>
    public async Task<CompletionOutcome> ReportAsync(string userId, CompletionOutcome outcome)
    {
        try
        {
            await _client.GetGrain<IUserSessionGrain>(userId).RecordOutcomeAsync(outcome);
        }
        catch (Exception ex)
        {
            GrainsLog.OutcomeNotRecorded(_logger, ex, outcome.RequestId, userId);
        }

        return outcome;
    }

    /// <summary>Returns once the session's store has the outcome, or after the last try.</summary>
    public async Task EnsureRecordedAsync(string userId, CompletionOutcome outcome)
    {
        var session = _client.GetGrain<IUserSessionGrain>(userId);
        var context = ResilienceContextPool.Shared.Get();
        context.Properties.Set(OutcomeKey, (outcome.RequestId, userId));
        try
        {
            await _untilStored.ExecuteOutcomeAsync(
                async (_, state) =>
                {
                    try
                    {
                        if (await state.IsRecordedAsync(outcome.RequestId)) return Outcome.FromResult(true);
                        await state.RecordOutcomeAsync(outcome);
                        return Outcome.FromResult(await state.IsRecordedAsync(outcome.RequestId));
                    }
                    catch (Exception ex)
                    {
                        return Outcome.FromException<bool>(ex);
                    }
                },
                context, session);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
