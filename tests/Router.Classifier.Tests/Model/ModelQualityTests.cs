using Router.Classifier.Data;
using Router.Classifier.Evaluation;

namespace Router.Classifier.Tests.Model;

[Collection(TrainedModelCollection.Name)]
public sealed class ModelQualityTests(TrainedModelFixture fixture)
{
    [Fact]
    public void Holdout_macro_f1_is_at_least_0_95_and_every_recall_at_least_0_85()
    {
        // The featurisation and trainer were first chosen by their scores on holdout.tsv (before validation.tsv
        // existed), so this figure is somewhat optimistic: it guards against regressions; the outside sets measure
        // generalisation.
        var report = ClassifierEvaluator.Evaluate(fixture.Model, TestData.Holdout());

        var summary = EvaluationReportFormatter.Format(report, includeThresholds: false);
        // Measured 0.970 with the shipped model.
        Assert.True(report.MacroF1 >= 0.95, summary);
        Assert.All(report.PerCategory, m => Assert.True(m.Recall >= 0.85, $"{m.Category} recall {m.Recall:F3}\n{summary}"));
    }

    [Fact]
    public void Challenge_set_accuracy_and_macro_f1_stay_at_least_0_96_and_every_recall_at_least_0_85()
    {
        // classifier/data/challenge.tsv is never trained on, and since the temperatures are fitted on validation.tsv
        // alone it is not calibrated on either (early featurisation choices did look at it). Measured 0.970 accuracy
        // and macro-F1 (cascade); the floors sit below so a regression fails.
        var report = ClassifierEvaluator.Evaluate(fixture.Model, TestData.Challenge());

        var summary = EvaluationReportFormatter.Format(report, includeThresholds: false);
        Assert.True(report.Accuracy >= 0.96, summary);
        Assert.True(report.MacroF1 >= 0.96, summary);
        Assert.All(report.PerCategory, m => Assert.True(m.Recall >= 0.85, $"{m.Category} recall {m.Recall:F3}\n{summary}"));
    }

    /// <summary>
    /// Hard cases written for this test alone (<c>Model/hard-cases.tsv</c>): short, terse or cross-topic
    /// prompts, six per category, none of them in any shipped data file (checked below), so the score
    /// measures what the model learned, not what it remembers. The floor sits below the measured figure
    /// so that a regression fails, not one unlucky prompt.
    /// </summary>
    [Fact]
    public void Hard_cases_written_apart_from_every_data_file_are_mostly_classified_right()
    {
        var cases = LabelledPromptFile.Read(HardCasesPath);
        var misses = cases
            .Select(c => (Message: c.Message, c.Category, Got: fixture.Model.Classify(c.Message)))
            .Where(r => r.Got.Category != r.Category)
            .Select(r => $"'{r.Message}' → {r.Got.Category} ({r.Got.Confidence:F2}), expected {r.Category}")
            .ToList();

        var accuracy = 1.0 - (double)misses.Count / cases.Count;
        // Measured 0.972 (35 of 36) with the shipped model; 0.88 allows four misses.
        Assert.True(accuracy >= 0.88, $"hard-case accuracy {accuracy:F3}; misses:\n{string.Join('\n', misses)}");
    }

    [Fact]
    public void The_hard_cases_are_in_no_shipped_data_file_and_cover_every_category()
    {
        var cases = LabelledPromptFile.Read(HardCasesPath);
        var shipped = TestData.Train().Concat(TestData.Holdout()).Concat(TestData.Challenge()).Concat(TestData.Outside())
            .Concat(TestData.Outside2()).Concat(TestData.Validation())
            .Select(p => p.Message.Trim().ToLowerInvariant())
            .ToHashSet();

        Assert.Empty(cases.Where(c => shipped.Contains(c.Message.Trim().ToLowerInvariant())).Select(c => c.Message));
        Assert.Equal(PromptCategories.All.Order(), cases.Select(c => c.Category).Distinct().Order());
    }

    private static string HardCasesPath => Path.Combine(AppContext.BaseDirectory, "Model", "hard-cases.tsv");

    [Fact]
    public void Scores_cover_every_category_and_sum_to_one()
    {
        var result = fixture.Model.Classify("What is the capital of Peru?");

        Assert.Equal(PromptCategories.All.Order(), result.Scores.Keys.Order());
        Assert.Equal(1.0, result.Scores.Values.Sum(), precision: 3);
        Assert.Equal(result.Scores.Values.Max(), result.Confidence, precision: 6);
        Assert.Equal(result.Scores[result.Category], result.Confidence, precision: 6);
    }
}
