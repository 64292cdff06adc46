namespace Router.Classifier;

/// <summary>Where the classifier model comes from and how its answers are routed. Bound from the <c>Classifier</c> section.</summary>
public sealed class ClassifierModelOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Classifier";

    /// <summary>
    /// A model file written by <c>Router.Classifier.Cli train</c>. Loaded at start-up when set and
    /// <see cref="TrainingDataPath"/> is not; when both are set the model is trained and saved here.
    /// </summary>
    public string? ModelPath { get; set; }

    /// <summary>A labelled <c>message&lt;TAB&gt;category</c> file to train on at start-up instead of the shipped data.</summary>
    public string? TrainingDataPath { get; set; }

    /// <summary>The sentence-encoder tier.</summary>
    public EncoderOptions Encoder { get; set; } = new();

    /// <summary>The routing table.</summary>
    public RoutingTableOptions Routing { get; set; } = new();
}
