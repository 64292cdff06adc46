namespace Router.Classifier.Tests.Model;

/// <summary>
/// Loads the shipped model once for every test in the collection and waits for its encoder tier, so
/// the tests see both tiers as a warmed-up service does.
/// </summary>
public sealed class TrainedModelFixture : IDisposable
{
    public TrainedModelFixture()
    {
        Model = PromptCategoryModelFactory.Create(new ClassifierModelOptions());
        Model.EncoderReady.GetAwaiter().GetResult();
    }

    public PromptCategoryModel Model { get; }

    public void Dispose() => Model.Dispose();
}

[CollectionDefinition(Name)]
public sealed class TrainedModelCollection : ICollectionFixture<TrainedModelFixture>
{
    public const string Name = "trained model";
}
