namespace Router.Classifier;

/// <summary>Classifies a prompt and picks the model that should answer it.</summary>
/// <remarks>Implementations are thread-safe: one instance serves concurrent callers.</remarks>
public interface IPromptCategoryModel
{
    /// <summary>Classifies <paramref name="message"/>; any length and any Unicode text is accepted.</summary>
    PromptClassification Classify(string message);
}
