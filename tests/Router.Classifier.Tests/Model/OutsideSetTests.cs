using System.Text.RegularExpressions;
using Router.Classifier.Data;
using Router.Classifier.Evaluation;

namespace Router.Classifier.Tests.Model;

/// <summary>
/// classifier/data/outside.tsv estimates how the classifier does on prompts written by strangers: it was
/// written apart from the training data, in a formal, complete-sentence voice, and is never trained on.
/// </summary>
[Collection(TrainedModelCollection.Name)]
public sealed partial class OutsideSetTests(TrainedModelFixture fixture)
{
    [Fact]
    public void Outside_set_macro_f1_is_at_least_0_95_every_recall_at_least_0_85_and_calibration_error_at_most_0_05()
    {
        // Measured 0.980 macro-F1 and 0.028 ECE with the shipped model; the floor leaves about three prompts of slack.
        var report = ClassifierEvaluator.Evaluate(fixture.Model, TestData.Outside());

        var summary = EvaluationReportFormatter.Format(report);
        Assert.True(report.MacroF1 >= 0.95, summary);
        Assert.True(report.ExpectedCalibrationError <= 0.05, summary);
        Assert.All(report.PerCategory, m => Assert.True(m.Recall >= 0.85, $"{m.Category} recall {m.Recall:F3}\n{summary}"));
    }

    [Fact]
    public void Outside_set_covers_every_category_and_shares_no_message_with_any_other_file()
    {
        var outside = TestData.Outside();
        var known = TestData.Train().Concat(TestData.Holdout()).Concat(TestData.Challenge())
            .Select(p => DatasetSplitter.DuplicateKey(p.Message)).ToHashSet();

        Assert.True(outside.Count >= 300, $"outside has {outside.Count} prompts");
        Assert.All(PromptCategories.All, c => Assert.True(outside.Count(p => p.Category == c) >= 50, $"{c} has too few outside prompts"));
        Assert.DoesNotContain(outside, p => known.Contains(DatasetSplitter.DuplicateKey(p.Message)));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void No_training_prompt_nearly_duplicates_an_outside_prompt()
    {
        // Word-set Jaccard ≥ 0.75 is a paraphrase close enough to leak the answer into training.
        var outside = TestData.Outside().Select(p => Words(p.Message)).Where(w => w.Count >= 3).ToList();
        var leaks = TestData.Train()
            .Select(p => (p.Message, Words: Words(p.Message)))
            .Where(t => outside.Any(o => Jaccard(o, t.Words) >= 0.75))
            .Select(t => t.Message)
            .ToList();

        Assert.True(leaks.Count == 0, "near-duplicates of outside prompts in train.tsv:\n" + string.Join("\n", leaks));
    }

    private static HashSet<string> Words(string message) =>
        [.. WordPattern().Matches(message.ToLowerInvariant()).Select(m => m.Value)];

    private static double Jaccard(HashSet<string> a, HashSet<string> b) =>
        a.Count + b.Count == 0 ? 0 : a.Intersect(b).Count() / (double)a.Union(b).Count();

    [GeneratedRegex(@"\w+")]
    private static partial Regex WordPattern();
}
