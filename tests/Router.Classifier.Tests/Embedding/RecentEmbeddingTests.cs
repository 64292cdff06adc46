using Microsoft.ML;
using Router.Classifier.Conversations;
using Router.Classifier.Embedding;
using Router.Classifier.Tests.Model;
using Router.Classifier.Training;

namespace Router.Classifier.Tests.Embedding;

/// <summary>
/// The category model's second tier and the follow-up detector share one embedding of a message: it is computed once, and
/// the detector's answer is the one it gives from an embedding of its own. The messages are written for this test.
/// </summary>
[Collection(TrainedModelCollection.Name)]
public sealed class RecentEmbeddingTests(TrainedModelFixture fixture)
{
    private static readonly string[] Turns =
    [
        "and what about doing the same in Rust?",
        "can you make that a bit shorter",
        "why is the second step needed here",
        "Wie lange dauert das ungefähr?",
        "what is the capital of Peru",
        "write a limerick about a sleepy cat",
    ];

    [Fact]
    public void A_repeated_text_is_embedded_once_and_every_caller_gets_a_vector_of_its_own()
    {
        var counting = new CountingEmbedder(StaticPromptEmbedder.LoadShipped());
        using var recent = new RecentEmbedding(counting);

        var first = recent.Embed("make it shorter");
        var expected = (float[])first.Clone();
        Array.Fill(first, 0f); // a caller weighting its vector in place
        var second = recent.Embed("make it shorter");

        Assert.Equal(1, counting.Calls);
        Assert.Equal(expected, second);
        Assert.NotSame(first, second);

        recent.Embed("and in rust ?");
        recent.Embed("make it shorter");
        Assert.Equal(3, counting.Calls); // only the last text is remembered
    }

    [Fact]
    public async Task The_follow_up_detector_answers_the_same_from_the_embedding_the_classifier_made()
    {
        var ml = new MLContext(seed: PromptModelTrainer.Seed);
        var bundle = fixture.Model.Bundle;
        Assert.NotNull(bundle.FollowUp);
        Assert.NotNull(bundle.FollowUpWithEmbedding);
        var own = StaticPromptEmbedder.LoadShipped();
        var alone = new FollowUpDetector(ml, bundle.FollowUp, bundle.FollowUpWithEmbedding, () => own, bundle.Manifest.EmbeddingWeight);
        var counting = new CountingEmbedder(StaticPromptEmbedder.LoadShipped());

        // Escalating every message: each classification embeds, and the detector's question follows it on the same thread.
        using var model = new PromptCategoryModel(ml, bundle, fixture.Model.Routing, counting, escalateBelow: 1);
        await model.EncoderReady;
        Assert.True(model.HasEncoderTier, "the second tier did not attach");
        Assert.True(model.FollowUps!.ReadsEmbedding, "the detector does not read the embedding");

        foreach (var turn in Turns)
        {
            var before = counting.Calls;
            var classification = model.Classify(turn);
            var shared = model.FollowUps.Probability(turn);

            Assert.Equal(ClassifierTiers.NgramsAndEmbedding, classification.Tier);
            Assert.Equal(before + 1, counting.Calls);
            Assert.Equal(alone.Probability(turn), shared);
            Assert.Equal(fixture.Model.FollowUps!.Probability(turn), shared);
        }
    }

    private sealed class CountingEmbedder(IPromptEmbedder inner) : IPromptEmbedder
    {
        public int Calls { get; private set; }

        public int Dimensions => inner.Dimensions;

        public float[] Embed(string normalizedText)
        {
            Calls++;
            return inner.Embed(normalizedText);
        }

        public float[][] EmbedMany(IReadOnlyList<string> normalizedTexts) => inner.EmbedMany(normalizedTexts);

        public void Dispose() => inner.Dispose();
    }
}
