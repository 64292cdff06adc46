using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Router.Classifier.Data;
using Router.Classifier.Training;

namespace Router.Classifier.Tests.Hosting;

public sealed class ClassifierRegistrationTests
{
    private static IConfiguration Config(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => KeyValuePair.Create(p.Key, (string?)p.Value))).Build();

    [Fact]
    public void Routing_keys_bind_from_the_classifier_section_of_a_root_or_the_section_itself()
    {
        var root = Config(
            ("Classifier:Routing:Routes:knowledge", "mixtral"),
            ("Classifier:Routing:ConfidenceThreshold", "0.6"),
            ("Classifier:Routing:DefaultModel", "phi4"));

        foreach (var configuration in new[] { root, root.GetSection("Classifier") })
        {
            using var services = new ServiceCollection().AddPromptCategoryModel(configuration).BuildServiceProvider();
            var options = services.GetRequiredService<IOptions<ClassifierModelOptions>>().Value;

            Assert.Equal("mixtral", options.Routing.Routes[PromptCategories.Knowledge]);
            Assert.Equal("qwen2.5-coder", options.Routing.Routes[PromptCategories.Code]);
            Assert.Equal(0.6, options.Routing.ConfidenceThreshold);
            Assert.Equal("phi4", options.Routing.DefaultModel);
        }
    }

    [Theory]
    [InlineData("Classifier:Routing:ConfidenceThreshold", "1.5", "ConfidenceThreshold")]
    [InlineData("Classifier:Routing:DefaultModel", " ", "DefaultModel")]
    [InlineData("Classifier:Routing:Routes:poetry", "mistral", "Routes:poetry")]
    [InlineData("Classifier:Encoder:EscalateBelow", "-0.1", "EscalateBelow")]
    [InlineData("Classifier:ModelPath", "/no/such/model.zip", "ModelPath")]
    [InlineData("Classifier:TrainingDataPath", "/no/such/data.tsv", "TrainingDataPath")]
    public void Invalid_settings_fail_validation_naming_the_setting(string key, string value, string named)
    {
        using var services = new ServiceCollection().AddPromptCategoryModel(Config((key, value))).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ClassifierModelOptions>>().Value);

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Retraining_on_a_user_file_writes_a_model_that_loads_with_the_same_answers()
    {
        var directory = Directory.CreateTempSubdirectory("classifier-retrain");
        try
        {
            // A small subset keeps the test fast; the user's file decides the model, so swap two labels to prove it.
            var subset = TestData.Train().GroupBy(p => p.Category).SelectMany(g => g.Take(25)).ToList();
            subset.Add(new LabelledPrompt("zebra zebra zebra stripes", PromptCategories.Math));
            subset.Add(new LabelledPrompt("zebras with stripes, zebra herd", PromptCategories.Math));
            subset.Add(new LabelledPrompt("a zebra has stripes", PromptCategories.Math));
            var dataPath = Path.Combine(directory.FullName, "mine.tsv");
            var modelPath = Path.Combine(directory.FullName, "model.zip");
            LabelledPromptFile.Write(dataPath, subset);
            // Follow-up fragments beside the data train both tiers of the follow-up detector.
            File.WriteAllLines(Path.Combine(directory.FullName, "followups.txt"), ["and in go?", "shorter please", "why that number?", "nochmal, aber kürzer"]);

            using var training = new ServiceCollection()
                .AddPromptCategoryModel(Config(("Classifier:TrainingDataPath", dataPath), ("Classifier:ModelPath", modelPath)))
                .BuildServiceProvider();
            var trainedModel = training.GetRequiredService<PromptCategoryModel>();
            var trained = trainedModel.Classify("zebra stripes");

            Assert.True(File.Exists(modelPath), "model file was not written");
            Assert.True(File.Exists(ModelManifest.HybridPathFor(modelPath)), "encoder-tier model file was not written");
            Assert.True(File.Exists(ModelManifest.FollowUpPathFor(modelPath)), "follow-up detector file was not written");
            Assert.True(File.Exists(ModelManifest.FollowUpWithEmbeddingPathFor(modelPath)), "follow-up detector's embedding tier file was not written");
            Assert.Equal(PromptCategories.Math, trained.Category);

            using var loading = new ServiceCollection().AddPromptCategoryModel(Config(("Classifier:ModelPath", modelPath))).BuildServiceProvider();
            var loadedModel = loading.GetRequiredService<PromptCategoryModel>();
            await loadedModel.EncoderReady;
            var loaded = loadedModel.Classify("zebra stripes");

            Assert.Equal(trained, loaded with { Scores = trained.Scores });
            Assert.Equal(trained.Scores.OrderBy(s => s.Key), loaded.Scores.OrderBy(s => s.Key));
            Assert.True(loadedModel.FollowUps!.ReadsEmbedding, "the reloaded follow-up detector does not read the embedding");
            Assert.Equal(trainedModel.FollowUps!.Probability("and in rust?"), loadedModel.FollowUps.Probability("and in rust?"), 6);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
