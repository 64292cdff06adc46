using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Router.Grains.Diagnostics;
using Router.Grains.Generation.Capabilities;
using Router.Grains.Interfaces;
using Router.Grains.Options;

namespace Router.Grains.Classification;

/// <summary>
/// A local stateless worker in front of the silo's <see cref="ClassificationCache"/>: no network hop
/// to reach it, and reentrant so a slow classifier call never queues the others. Up to one
/// activation per core: the in-process model classifies synchronously inside a turn, and a single
/// activation would classify a burst of new prompts one at a time.
/// </summary>
[StatelessWorker]
[Reentrant]
public sealed class ClassifierGrain(
    ClassificationCache cache,
    ModelCapabilityRegistry capabilities,
    IOptions<ClassifierOptions> options,
    RouterInstruments instruments,
    ILogger<ClassifierGrain> logger) : Grain, IClassifierGrain
{
    public async ValueTask<ClassifierDecision> RouteAsync(RouteQuery query, CancellationToken cancellationToken = default)
    {
        var decision = await ClassifyAsync(query.Message, cancellationToken);
        if (decision.Error is null && query.EarlierUserTurns is { Count: > 0 } earlier)
        {
            decision = await ConversationStickiness.ApplyAsync(decision, query.Message, earlier, cache, cancellationToken);
        }

        var needs = query.Needs;
        if (decision.Error is not null || needs is null || needs.IsPlain) return decision;
        var choice = await capabilities.ChooseAsync(decision.Model, needs, cancellationToken);
        return choice.Error is { } error
            ? decision with { Model = "", Error = error }
            : choice.Reason is null ? decision : decision with { Model = choice.Model, RoutingReason = choice.Reason };
    }

    public async ValueTask<ClassifierDecision> ClassifyAsync(string message, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var (route, hit) = await cache.GetAsync(message, cancellationToken);
            instruments.Classified(route.Tier ?? "unknown", hit, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return new ClassifierDecision(route.Model, route.Category, route.Confidence, hit, null, route.Scores, route.Tier);
        }
        catch (ClassifierException ex)
        {
            instruments.ClassifierFailed();
            instruments.Classified("fallback", false, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            var fallback = options.Value.FallbackModel;
            ClassifierLog.Failed(logger, ex.Message, fallback);
            return fallback is not null
                ? new ClassifierDecision(fallback, null, null, false, null, null, "fallback")
                : new ClassifierDecision("", null, null, false, new CompletionError(
                    ErrorCodes.ClassifierUnavailable,
                    // The reason may name the classifier's address; it is in the log line above, not here.
                    "The classifier is unavailable and no fallback model is configured."));
        }
    }
}

internal static partial class ClassifierLog
{
    [LoggerMessage(1601, LogLevel.Warning, "Classifier failed: {Reason}; fallback model {FallbackModel}")]
    public static partial void Failed(ILogger logger, string reason, string? fallbackModel);
}
