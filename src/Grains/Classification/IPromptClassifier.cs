using Router.Classifier.Conversations;

namespace Router.Grains.Classification;

/// <summary>Classifies a prompt into a model choice.</summary>
public interface IPromptClassifier
{
    /// <summary>Classifies a message; throws <see cref="ClassifierException"/> when the classifier cannot answer.</summary>
    Task<PromptRoute> ClassifyAsync(string message, CancellationToken cancellationToken);

    /// <summary>
    /// How likely <paramref name="message"/> is a follow-up that leans on its conversation ("and in
    /// Rust?"); <see cref="ConversationRouting.WithoutDetector"/> where no follow-up detector is at hand
    /// (the classifier service has none to ask), which leaves the conversation rule its plain 0.9 bound.
    /// </summary>
    double FollowUpProbability(string message) => ConversationRouting.WithoutDetector;
}

/// <summary>A classifier's answer.</summary>
/// <param name="Scores">Every category's probability, when the classifier gives them.</param>
/// <param name="Tier">Which classifier decided: the in-process model's tier (<c>ngrams</c>, <c>ngrams+embedding</c>), or <c>service[:tier]</c>.</param>
public sealed record PromptRoute(string Model, string? Category, double? Confidence,
    IReadOnlyDictionary<string, double>? Scores = null, string? Tier = null);

/// <summary>The classifier could not answer (error status, timeout, unreadable answer, unreachable).</summary>
public sealed class ClassifierException(string message, Exception? inner = null) : Exception(message, inner);
