using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using Router.Grains.Hosting;
using Router.Hosting;
using Router.Hosting.Streaming;
using Router.Grains.Interfaces;
using Router.OllamaSimulator;
using Router.Testing;

namespace Router.Grains.Tests;

/// <summary>
/// A two-silo in-process cluster wired exactly like production silos (<see cref="SiloBuilderRouterExtensions.AddRouter"/>),
/// talking over real HTTP to the Ollama simulator and to a classifier service. Built once per collection.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public const int MaxTurns = 2;

    /// <summary>The simulator's OpenAI endpoint requires this key; the router reads it from <see cref="UpstreamKeyVariable"/>.</summary>
    public const string UpstreamKey = "sk-router-grains-tests";

    public const string UpstreamKeyVariable = "ROUTER_GRAINS_TESTS_UPSTREAM_KEY";

    /// <summary>Upstream models (route to one with <c>[[classify:model=NAME]]</c>); each is served by the simulator as <c>qwen2.5-coder</c> unless said otherwise.</summary>
    public static class Upstreams
    {
        /// <summary>Reaches the simulator with the right key.</summary>
        public const string Coder = "cloud-coder";

        /// <summary>Sends a key the simulator refuses.</summary>
        public const string WrongKey = "cloud-wrong-key";

        /// <summary>Asks the simulator for a model it does not serve.</summary>
        public const string Missing = "cloud-missing";

        /// <summary>Points at a port nobody listens on.</summary>
        public const string Nowhere = "cloud-nowhere";
    }

    // The "nowhere" upstream's port, held so that it refuses connections for the whole run.
    private readonly RefusedPort _nowhere = RefusedPort.Reserve();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public OllamaSimulator.OllamaSimulator Simulator { get; private set; } = null!;

    public ClassifierStub Classifier { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync()
    {
        Simulator = await OllamaSimulator.OllamaSimulator.StartAsync(
            new SimulatorOptions { TimeToFirstTokenMs = 10, TokensPerSecond = 200, ResponseTokens = 6, ApiKey = UpstreamKey });
        Environment.SetEnvironmentVariable(UpstreamKeyVariable, UpstreamKey);
        var openAi = Simulator.OpenAIBaseUrl.ToString();
        Classifier = await ClassifierStub.StartAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ollama:BaseUrl"] = Simulator.BaseUrl.ToString(),
            // Long enough that 24 concurrent streams on a loaded machine never trip it; the stalled-upstream
            // test waits this long for its upstream_timeout.
            ["Ollama:IdleTimeout"] = "00:00:10",
            ["Classifier:Url"] = Classifier.Url.ToString(),
            // Far above what the stub needs on a loaded machine: no test here waits for this deadline.
            ["Classifier:Timeout"] = "00:00:10",
            ["Generation:MaxTurns"] = MaxTurns.ToString(),
            ["Upstreams:0:Name"] = Upstreams.Coder,
            ["Upstreams:0:BaseUrl"] = openAi,
            ["Upstreams:0:ApiKeyEnv"] = UpstreamKeyVariable,
            ["Upstreams:0:Model"] = "qwen2.5-coder",
            ["Upstreams:1:Name"] = Upstreams.WrongKey,
            ["Upstreams:1:BaseUrl"] = openAi,
            ["Upstreams:1:ApiKey"] = "sk-not-this-one",
            ["Upstreams:1:Model"] = "qwen2.5-coder",
            ["Upstreams:2:Name"] = Upstreams.Missing,
            ["Upstreams:2:BaseUrl"] = openAi,
            ["Upstreams:2:ApiKeyEnv"] = UpstreamKeyVariable,
            ["Upstreams:2:Model"] = "gpt-nonexistent",
            ["Upstreams:3:Name"] = Upstreams.Nowhere,
            ["Upstreams:3:BaseUrl"] = new Uri(_nowhere.Url, "v1").ToString(),
        }).Build();

        Cluster = await RouterTestCluster.StartAsync(2, configuration);
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Classifier.DisposeAsync();
        await Simulator.DisposeAsync();
        _nowhere.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "two-silo cluster";
}
