namespace Router.Grains.Classification;

/// <summary>Classifies a prompt into a model choice.</summary>
public interface IPromptClassifier
{
    /// <summary>Classifies a message; throws <see cref="ClassifierException"/> when the classifier cannot answer.</summary>
    Task<PromptRoute> ClassifyAsync(string message, CancellationToken cancellationToken);
}

/// <summary>A classifier's answer.</summary>
public sealed record PromptRoute(string Model, string? Category, double? Confidence);

/// <summary>The classifier could not answer (error status, timeout, unreadable answer, unreachable).</summary>
public sealed class ClassifierException(string message, Exception? inner = null) : Exception(message, inner);
