namespace Router.Classifier;

/// <summary>The fixed set of prompt categories the model predicts.</summary>
public static class PromptCategories
{
    public const string Code = "code";
    public const string Math = "math";
    public const string CreativeWriting = "creative_writing";
    public const string TextTransformation = "text_transformation";
    public const string Knowledge = "knowledge";
    public const string Conversation = "conversation";

    /// <summary>All categories, in a stable order used for reports and score dictionaries.</summary>
    public static IReadOnlyList<string> All { get; } =
        [Code, Math, CreativeWriting, TextTransformation, Knowledge, Conversation];

    public static bool IsKnown(string category) => All.Contains(category, StringComparer.Ordinal);
}
