using System.Diagnostics;

namespace Router.Classifier.Tests.Model;

/// <summary>Trains the default model from the shipped data once for every test in the collection.</summary>
public sealed class TrainedModelFixture
{
    public TrainedModelFixture()
    {
        var stopwatch = Stopwatch.StartNew();
        Model = PromptCategoryModelFactory.Create(new ClassifierModelOptions());
        StartUp = stopwatch.Elapsed;
    }

    public PromptCategoryModel Model { get; }

    public TimeSpan StartUp { get; }
}

[CollectionDefinition(Name)]
public sealed class TrainedModelCollection : ICollectionFixture<TrainedModelFixture>
{
    public const string Name = "trained model";
}
