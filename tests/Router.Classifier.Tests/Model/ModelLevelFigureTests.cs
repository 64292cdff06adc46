using Router.Classifier.Evaluation;

namespace Router.Classifier.Tests.Model;

public sealed class ModelLevelFigureTests
{
    [Fact]
    public void A_miss_between_two_categories_of_one_model_is_right_at_model_level_and_purity_counts_what_each_model_received()
    {
        // knowledge taken for conversation reaches llama3.2 either way; math taken for code reaches the wrong model.
        string[] models = ["llama3.2", "qwen2.5-coder", "qwen2.5-coder", "deepseek-r1"];
        string[] expected = ["llama3.2", "deepseek-r1", "qwen2.5-coder", "deepseek-r1"];
        var report = new EvaluationReport(4, 0.5, 0.5, PromptCategories.All, [], new int[6, 6], [], [0.9, 0.9, 0.9, 0.9], [false, false, true, true],
            ["ngrams", "ngrams", "ngrams", "ngrams"], models, expected);

        Assert.Equal(0.75, report.ModelAccuracy, 6);
        var coder = report.PerModel.Single(m => m.Model == "qwen2.5-coder");
        var math = report.PerModel.Single(m => m.Model == "deepseek-r1");
        Assert.Equal((2, 1, 0.5, 1.0), (coder.Received, coder.Belonging, coder.Purity, coder.Recall));
        Assert.Equal((1, 2, 1.0, 0.5), (math.Received, math.Belonging, math.Purity, math.Recall));
    }
}
