using Router.Classifier.Data;
using Router.Classifier.Training;

namespace Router.Classifier.Tests.Data;

public sealed class ShippedDataTests
{
    [Fact]
    public void Every_category_has_at_least_200_prompts_across_the_split()
    {
        var all = TestData.Train().Concat(TestData.Holdout()).ToList();

        foreach (var category in PromptCategories.All)
        {
            var count = all.Count(p => p.Category == category);
            Assert.True(count >= 200, $"{category} has {count} prompts");
        }
    }

    [Fact]
    public void Holdout_shares_no_message_with_training_and_neither_has_duplicates()
    {
        var train = TestData.Train().Select(p => DatasetSplitter.DuplicateKey(p.Message)).ToList();
        var holdout = TestData.Holdout().Select(p => DatasetSplitter.DuplicateKey(p.Message)).ToList();

        Assert.Equal(train.Count, train.Distinct().Count());
        Assert.Equal(holdout.Count, holdout.Distinct().Count());
        Assert.Empty(train.Intersect(holdout));
        Assert.InRange(holdout.Count / (double)(train.Count + holdout.Count), 0.12, 0.28);
    }

    [Fact]
    public void Challenge_set_covers_every_category_and_shares_no_message_with_train_or_holdout()
    {
        var challenge = TestData.Challenge();
        var known = TestData.Train().Concat(TestData.Holdout()).Select(p => DatasetSplitter.DuplicateKey(p.Message)).ToHashSet();

        Assert.True(challenge.Count >= 300, $"challenge has {challenge.Count} prompts");
        Assert.All(PromptCategories.All, c => Assert.True(challenge.Count(p => p.Category == c) >= 50, $"{c} has too few challenge prompts"));
        Assert.DoesNotContain(challenge, p => known.Contains(DatasetSplitter.DuplicateKey(p.Message)));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Shipped_model_was_trained_on_the_current_training_data_with_the_current_pipeline()
    {
        var manifest = PromptModelTrainer.LoadEmbeddedManifest();
        var (prompts, followUps) = TestData.TrainedOn();

        const string retrain = "retrain with the command in classifier/README.md (train --data classifier/data/train.tsv --conversations … --keep-out …)";
        Assert.True(PromptModelTrainer.PipelineVersion == manifest.PipelineVersion, $"pipeline changed; {retrain}");
        Assert.True(ModelManifest.Hash(prompts) == manifest.TrainingDataSha256, $"train.tsv or a development conversation set changed; {retrain}");
        Assert.Equal(prompts.Count, manifest.Prompts);
        Assert.Equal(followUps.Count, manifest.FollowUps);
        Assert.Equal(PromptModelTrainer.DefaultTrainer.ToString(), manifest.Trainer);
    }
}
