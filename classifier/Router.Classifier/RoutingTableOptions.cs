namespace Router.Classifier;

/// <summary>Maps a category to a model; predictions below <see cref="ConfidenceThreshold"/> go to <see cref="DefaultModel"/>.</summary>
public sealed class RoutingTableOptions
{
    /// <summary>Category → model. Categories not listed go to <see cref="DefaultModel"/>.</summary>
    public Dictionary<string, string> Routes { get; set; } = new(StringComparer.Ordinal)
    {
        [PromptCategories.Code] = "qwen2.5-coder",
        [PromptCategories.Math] = "deepseek-r1",
    };

    /// <summary>
    /// Minimum probability of the top category for its route to apply. 0.35 was chosen on the
    /// held-out split: below it, predictions are right less often than the default model is a safe answer
    /// (see classifier/README.md).
    /// </summary>
    public double ConfidenceThreshold { get; set; } = 0.35;

    /// <summary>Model used for unlisted categories and low-confidence predictions.</summary>
    public string DefaultModel { get; set; } = "llama3.2";
}
