using Microsoft.Extensions.Hosting;
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

/// <summary>Loads the classifier model while the host starts, so the first request does not pay for it.</summary>
internal sealed class ClassifierModelWarmup(IPromptCategoryModel model) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = model;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
