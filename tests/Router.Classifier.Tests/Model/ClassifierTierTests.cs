namespace Router.Classifier.Tests.Model;

[Collection(TrainedModelCollection.Name)]
public sealed class ClassifierTierTests(TrainedModelFixture fixture)
{
    [Fact]
    public void The_shipped_model_has_an_encoder_tier_and_reports_which_tier_decided()
    {
        Assert.True(fixture.Model.HasEncoderTier);
        var results = TestData.Outside().Take(60).Select(p => fixture.Model.Classify(p.Message)).ToList();

        Assert.All(results, r => Assert.Contains(r.Tier, new[] { ClassifierTiers.Ngrams, ClassifierTiers.NgramsAndEmbedding }));
        Assert.All(results.Where(r => r.Tier == ClassifierTiers.Ngrams), r => Assert.Equal(r.NgramConfidence, r.Confidence, precision: 6));
        Assert.All(results.Where(r => r.Tier == ClassifierTiers.NgramsAndEmbedding), r => Assert.True(r.NgramConfidence < 0.8, $"escalated at {r.NgramConfidence}"));
        Assert.All(results, r => Assert.Equal(1.0, r.Scores.Values.Sum(), precision: 3));
    }

    [Theory]
    [InlineData(false, 1.0, ClassifierTiers.Ngrams)]
    [InlineData(true, 0.0, ClassifierTiers.Ngrams)]
    [InlineData(true, 1.0, ClassifierTiers.NgramsAndEmbedding)]
    public async Task Options_decide_whether_the_encoder_tier_is_asked(bool enabled, double escalateBelow, string expectedTier)
    {
        var options = new ClassifierModelOptions { Encoder = { Enabled = enabled, EscalateBelow = escalateBelow } };
        using var model = PromptCategoryModelFactory.Create(options);
        await model.EncoderReady;

        var result = model.Classify("Complete this function:\ndef add(a, b):\n    \"\"\"Return the sum of a and b.\"\"\"");

        Assert.Equal(expectedTier, result.Tier);
        Assert.Equal(PromptCategories.Code, result.Category);
    }
}
