using Router.OllamaSimulator;
using Router.Testing;

namespace Router.WebFront.Tests;

/// <summary>
/// One simulator, one classifier service and one router for a test collection. The router talks to
/// both over real HTTP; short timeouts keep the failure tests fast.
/// </summary>
public class RouterFixture : IAsyncLifetime
{
    /// <summary>A model served by an OpenAI-compatible upstream (the simulator's <c>/v1</c>).</summary>
    public const string UpstreamModel = "coder-upstream";

    public OllamaSimulator.OllamaSimulator Simulator { get; private set; } = null!;

    public ClassifierStub Classifier { get; private set; } = null!;

    public RouterHost Router { get; private set; } = null!;

    public HttpClient Http => Router.Http;

    protected virtual void Configure(IDictionary<string, string?> settings)
    {
    }

    /// <summary>Changes the simulator's settings before it starts (the models it serves, for one).</summary>
    protected virtual void ConfigureSimulator(SimulatorOptions options)
    {
    }

    public async Task InitializeAsync()
    {
        var simulator = new SimulatorOptions { TimeToFirstTokenMs = 20, TokensPerSecond = 200, ResponseTokens = 10 };
        ConfigureSimulator(simulator);
        Simulator = await OllamaSimulator.OllamaSimulator.StartAsync(simulator);
        Classifier = await ClassifierStub.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Ollama:BaseUrl"] = Simulator.BaseUrl.ToString(),
            ["Ollama:IdleTimeout"] = "00:00:01",
            ["Classifier:Url"] = Classifier.Url.ToString(),
            ["Classifier:Timeout"] = "00:00:00.500",
            ["WebFront:KeepAliveInterval"] = "00:00:00.200",
            ["WebFront:LaneCheckPeriod"] = "00:00:00.200",
            // The simulator's OpenAI-compatible endpoint, as an upstream server of one model.
            ["Upstreams:0:Name"] = UpstreamModel,
            ["Upstreams:0:BaseUrl"] = Simulator.OpenAIBaseUrl.ToString(),
            ["Upstreams:0:Model"] = "qwen2.5-coder",
            ["WebFront:BodyReadTimeout"] = "00:00:02",
            // A client that leaves is stopped at the backend one second later unless it resumes.
            ["WebFront:ResumeGrace"] = "00:00:01",
        };
        Configure(settings);
        Router = await RouterHost.StartAsync(settings, TestEndpoints.Map);
    }

    public async Task DisposeAsync()
    {
        await Router.DisposeAsync();
        await Classifier.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}

/// <summary>The same, with a fallback model for classifier failures, and no management endpoint.</summary>
public sealed class FallbackRouterFixture : RouterFixture
{
    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Classifier:FallbackModel"] = "llama3.2";
        settings["WebFront:ManagementUrl"] = "";
    }
}

/// <summary>A router whose Ollama address has nobody listening.</summary>
public sealed class DeadOllamaRouterFixture : RouterFixture
{
    /// <summary>The Ollama address nobody listens on.</summary>
    public Uri OllamaUrl { get; } = new($"http://127.0.0.1:{FreePorts.Next()}");

    protected override void Configure(IDictionary<string, string?> settings) => settings["Ollama:BaseUrl"] = OllamaUrl.ToString();
}

[CollectionDefinition(Name)]
public sealed class RouterCollection : ICollectionFixture<RouterFixture>
{
    public const string Name = "router";
}

[CollectionDefinition(Name)]
public sealed class FallbackRouterCollection : ICollectionFixture<FallbackRouterFixture>
{
    public const string Name = "router with fallback model";
}

[CollectionDefinition(Name)]
public sealed class DeadOllamaRouterCollection : ICollectionFixture<DeadOllamaRouterFixture>
{
    public const string Name = "router without Ollama";
}
