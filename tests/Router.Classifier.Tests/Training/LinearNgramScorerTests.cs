using Microsoft.ML;
using Router.Classifier.Embedding;
using Router.Classifier.Tests.Model;
using Router.Classifier.Training;

namespace Router.Classifier.Tests.Training;

/// <summary>
/// The linear scorer must give the probabilities ML.NET's prediction engine gives, for every prompt of every data
/// file (six languages, code, pasted texts, emoji) and for odd inputs, in both tiers.
/// </summary>
[Collection(TrainedModelCollection.Name)]
public sealed class LinearNgramScorerTests(TrainedModelFixture fixture)
{
    private static readonly string[] OddInputs =
    [
        string.Empty,
        "   ",
        "|||| a|b |c| ||",
        "<␠> <␂> \u0002\u0003 control \u0001 chars",
        "broken \uD800 surrogate and 🙂 astral 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
        string.Concat(Enumerable.Repeat("word ", 3000)),
        string.Concat(Enumerable.Repeat("ab", 20_000)),
    ];

    [Fact]
    public void The_shipped_tiers_are_scored_by_the_linear_scorer()
    {
        Assert.True(fixture.Model.UsesLinearScorer, "the shipped models did not pass the load-time check against ML.NET's scores");
    }

    [Fact]
    public void The_n_gram_tier_matches_ml_net_on_every_data_file_and_odd_inputs()
    {
        var ml = new MLContext(seed: 1);
        var model = PromptModelTrainer.LoadEmbedded(ml);
        var scorer = LinearNgramScorer.TryCreate(ml, model, PromptFeatureSet.Ngrams);
        Assert.NotNull(scorer);
        using var engine = ml.Model.CreatePredictionEngine<PromptModelInput, PromptModelOutput>(model);

        var worst = 0f;
        var worstText = string.Empty;
        var ours = new float[scorer.Classes];
        foreach (var message in AllMessages())
        {
            var text = PromptTextNormalizer.Normalize(message);
            var theirs = engine.Predict(new PromptModelInput { Text = text }).Score;
            scorer.Score(text, default, ours);
            var difference = theirs.Zip(ours, (a, b) => Math.Abs(a - b)).Max();
            if (difference > worst)
            {
                (worst, worstText) = (difference, text);
            }
        }

        Assert.True(worst <= LinearNgramScorer.MaxDifference, $"largest difference {worst} for '{worstText}'");
    }

    [Fact]
    public void The_embedding_tier_matches_ml_net_on_every_data_file()
    {
        var ml = new MLContext(seed: 1);
        var model = PromptModelTrainer.LoadEmbeddedHybrid(ml);
        Assert.NotNull(model);
        var scorer = LinearNgramScorer.TryCreate(ml, model, PromptFeatureSet.NgramsAndEmbedding);
        Assert.NotNull(scorer);
        using var engine = ml.Model.CreatePredictionEngine<PromptModelInput, PromptModelOutput>(model);
        using var embedder = StaticPromptEmbedder.LoadShipped();
        var weight = PromptModelTrainer.LoadEmbeddedManifest().EmbeddingWeight;

        var worst = 0f;
        var ours = new float[scorer.Classes];
        foreach (var message in AllMessages())
        {
            var text = PromptTextNormalizer.Normalize(message);
            var embedding = PromptModelBundle.Weighted(embedder.Embed(text), weight);
            var theirs = engine.Predict(new PromptModelInput { Text = text, Embedding = embedding }).Score;
            scorer.Score(text, embedding, ours);
            worst = Math.Max(worst, theirs.Zip(ours, (a, b) => Math.Abs(a - b)).Max());
        }

        Assert.True(worst <= LinearNgramScorer.MaxDifference, $"largest difference {worst}");
    }

    private static IEnumerable<string> AllMessages() =>
        TestData.Train().Concat(TestData.Holdout()).Concat(TestData.Challenge()).Concat(TestData.Outside())
            .Concat(TestData.Outside2()).Concat(TestData.Validation()).Select(p => p.Message).Concat(OddInputs);
}
