using Router.OllamaSimulator;

namespace Router.WebFront.Tests.Surfaces.Ollama;

/// <summary>
/// The router of <see cref="RouterFixture"/>, whose <c>llama3.2</c> (the model the classifier stub picks
/// for <c>auto</c>) can also see images and think, so every kind of request runs named and through <c>auto</c>;
/// and a second Ollama model, <see cref="ThinkingOnlyModel"/>, that has neither tools nor vision.
/// </summary>
public sealed class OllamaFidelityFixture : RouterFixture
{
    /// <summary>The simulator's <c>deepseek-r1</c>: completion and thinking only.</summary>
    public const string ThinkingOnlyModel = "deepseek-r1";

    // Set before the router starts, so that whatever it learns of the models' capabilities is this.
    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Ollama:Models:0"] = "llama3.2";
        settings["Ollama:Models:1"] = ThinkingOnlyModel;
        Simulator.Configure(o => o.ModelProfiles["llama3.2"] = new SimulatedModelProfile { Capabilities = ["completion", "tools", "vision", "thinking"] });
    }
}

[CollectionDefinition(Name)]
public sealed class OllamaFidelityCollection : ICollectionFixture<OllamaFidelityFixture>
{
    public const string Name = "router with a model that does everything";
}
