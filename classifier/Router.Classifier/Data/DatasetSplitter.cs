using System.Text;

namespace Router.Classifier.Data;

/// <summary>
/// Splits labelled prompts into training and held-out sets by a stable hash of the message, so the
/// split never depends on file order and re-splitting the union of both files gives the same result.
/// </summary>
public static class DatasetSplitter
{
    /// <summary>Removes duplicate messages (first label wins) and assigns each to one side.</summary>
    public static (IReadOnlyList<LabelledPrompt> Train, IReadOnlyList<LabelledPrompt> Holdout) Split(
        IEnumerable<LabelledPrompt> prompts, int holdoutPercent)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(holdoutPercent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(holdoutPercent, 100);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var train = new List<LabelledPrompt>();
        var holdout = new List<LabelledPrompt>();
        foreach (var prompt in prompts)
        {
            var key = DuplicateKey(prompt.Message);
            if (!seen.Add(key))
            {
                continue;
            }

            (Fnv1a(key) % 100 < (uint)holdoutPercent ? holdout : train).Add(prompt);
        }

        return (Order(train), Order(holdout));
    }

    /// <summary>Messages that differ only in case or surrounding whitespace count as duplicates.</summary>
    public static string DuplicateKey(string message) => message.Trim().ToLowerInvariant();

    private static List<LabelledPrompt> Order(List<LabelledPrompt> prompts) =>
        [.. prompts.OrderBy(p => PromptCategoriesIndex(p.Category)).ThenBy(p => p.Message, StringComparer.Ordinal)];

    private static int PromptCategoriesIndex(string category) =>
        PromptCategories.All.ToList().IndexOf(category);

    private static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return hash;
    }
}
