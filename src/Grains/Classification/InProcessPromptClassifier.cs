using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Router.Classifier;
using Router.Classifier.Conversations;

namespace Router.Grains.Classification;

/// <summary>The trained classifier running in this process (the embedded default, when <c>Classifier:Url</c> is unset).</summary>
public sealed class InProcessPromptClassifier(IPromptCategoryModel model) : IPromptClassifier
{
    public Task<PromptRoute> ClassifyAsync(string message, CancellationToken cancellationToken)
    {
        var result = model.Classify(message);
        return Task.FromResult(new PromptRoute(result.Model, result.Category, result.Confidence, result.Scores, result.Tier));
    }

    public double FollowUpProbability(string message) => (model as PromptCategoryModel)?.FollowUps?.Probability(message) ?? ConversationRouting.WithoutDetector;
}

/// <summary>
/// Loads the classifier model while the host starts, so the first request does not pay for it; once the embedding tier has
/// joined, runs the conversation routing path in the background (<see cref="ConversationWarmup"/>), so the runtime's
/// compilation of that code is not paid for by the first few hundred requests either.
/// </summary>
internal sealed partial class ClassifierModelWarmup(IPromptCategoryModel model, ILogger<ClassifierModelWarmup> logger) : IHostedService
{
    /// <summary>Completes with the number of turns the warm-up decided (none when the model is not the trained one).</summary>
    public Task<int> Completed { get; private set; } = Task.FromResult(0);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (model is PromptCategoryModel trained)
        {
            Completed = trained.EncoderReady.ContinueWith(_ => Run(trained), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // A failed warm-up costs only the first requests their compilation again; it is said, not thrown into an unobserved task.
    private int Run(PromptCategoryModel trained)
    {
        try
        {
            return ConversationWarmup.Run(trained);
        }
        catch (Exception ex)
        {
            LogFailed(logger, ex);
            return 0;
        }
    }

    [LoggerMessage(1602, LogLevel.Warning, "Warming up the conversation routing path failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
