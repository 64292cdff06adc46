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

    [Fact]
    public void The_shipped_second_tier_reads_the_n_gram_tiers_dictionaries()
    {
        Assert.True(fixture.Model.TiersShareVocabulary, "the second tier built dictionaries of its own, so an escalated prompt is looked up twice");
    }

    [Fact]
    public void A_tier_sharing_dictionaries_scores_what_it_scores_with_its_own_whatever_was_scored_before()
    {
        var ml = new MLContext(seed: 1);
        var first = LinearNgramScorer.TryCreate(ml, PromptModelTrainer.LoadEmbedded(ml), PromptFeatureSet.Ngrams);
        var hybrid = PromptModelTrainer.LoadEmbeddedHybrid(ml);
        Assert.NotNull(first);
        Assert.NotNull(hybrid);
        var shared = LinearNgramScorer.TryCreate(ml, hybrid, PromptFeatureSet.NgramsAndEmbedding, sameVocabulary: first);
        var own = LinearNgramScorer.TryCreate(ml, hybrid, PromptFeatureSet.NgramsAndEmbedding);
        Assert.NotNull(shared);
        Assert.NotNull(own);
        Assert.True(shared.SharesVocabularyWith(first), "the second tier did not take the first's dictionaries");
        Assert.False(own.SharesVocabularyWith(first), "a scorer created alone shares dictionaries");
        using var embedder = StaticPromptEmbedder.LoadShipped();
        var weight = PromptModelTrainer.LoadEmbeddedManifest().EmbeddingWeight;

        var texts = TestData.Challenge().Select(p => p.Message).Take(60).Concat(OddInputs).Select(PromptTextNormalizer.Normalize).ToArray();
        var scratch = new float[first.Classes];
        var expected = new float[own.Classes];
        var actual = new float[shared.Classes];
        for (var i = 0; i < texts.Length; i++)
        {
            var embedding = PromptModelBundle.Weighted(embedder.Embed(texts[i]), weight);
            own.Score(texts[i], embedding, expected);

            // The first tier on the same text (the shared hits are reused), then on another one (they must not be).
            first.Score(texts[i], default, scratch);
            shared.Score(texts[i], embedding, actual);
            Assert.Equal(expected, actual);
            first.Score(texts[(i + 1) % texts.Length], default, scratch);
            shared.Score(texts[i], embedding, actual);
            Assert.Equal(expected, actual);
        }
    }

    private static IEnumerable<string> AllMessages() =>
        TestData.Train().Concat(TestData.Holdout()).Concat(TestData.Challenge()).Concat(TestData.Outside())
            .Concat(TestData.Outside2()).Concat(TestData.Validation()).Select(p => p.Message).Concat(OddInputs);
}
