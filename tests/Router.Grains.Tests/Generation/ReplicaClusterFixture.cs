using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using Router.Grains.Hosting;
using Router.Hosting;
using Router.Hosting.Streaming;
using Router.Grains.Interfaces;
using Router.OllamaSimulator;
using Router.Testing;

namespace Router.Grains.Tests.Generation;

/// <summary>
/// A two-silo cluster whose Ollama models have several replicas, each a real simulator over HTTP
/// (or a port nobody listens on). <c>llama3.2</c> uses <c>Ollama:Endpoints</c>: refused, busy (503
/// to everything), healthy. <c>qwen2.5-coder</c> (<c>[[classify:code]]</c>) has replicas of its own
/// in <c>Ollama:ModelEndpoints</c>: flaky (503 until a test clears it), steady; so has
/// <c>deepseek-r1</c> (<c>[[classify:math]]</c>): gone (nothing listens until a test starts a simulator there), steady.
/// </summary>
public sealed class ReplicaClusterFixture : IAsyncLifetime
{
    public const int ResponseTokens = 6;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    // Held bound without listening: both refuse connections, and nothing else can take their ports.
    private readonly RefusedPort _refused = RefusedPort.Reserve();
    private readonly RefusedPort _gone = RefusedPort.Reserve();

    public Uri Refused => _refused.Url;

    /// <summary>A replica that refuses connections until a test lets its port go (<see cref="FreeGonePort"/>) and starts a simulator there.</summary>
    public Uri Gone => _gone.Url;

    /// <summary>Lets the port of <see cref="Gone"/> go, right before a simulator binds it.</summary>
    public void FreeGonePort() => _gone.Dispose();

    /// <summary>The simulator a test started at <see cref="Gone"/>, disposed with the fixture.</summary>
    public OllamaSimulator.OllamaSimulator? Returned { get; set; }

    public OllamaSimulator.OllamaSimulator Busy { get; private set; } = null!;

    public OllamaSimulator.OllamaSimulator Healthy { get; private set; } = null!;

    public OllamaSimulator.OllamaSimulator Flaky { get; private set; } = null!;

    public OllamaSimulator.OllamaSimulator Steady { get; private set; } = null!;

    public ClassifierStub Classifier { get; private set; } = null!;

    /// <summary>A replica as metrics name it.</summary>
    public static string Endpoint(Uri url) => $"{url.Host}:{url.Port}";

    public async Task InitializeAsync()
    {
        var fast = new SimulatorOptions { TimeToFirstTokenMs = 10, TokensPerSecond = 200, ResponseTokens = ResponseTokens };
        Busy = await OllamaSimulator.OllamaSimulator.StartAsync(new SimulatorOptions { FailStatus = 503 });
        Healthy = await OllamaSimulator.OllamaSimulator.StartAsync(fast);
        Flaky = await OllamaSimulator.OllamaSimulator.StartAsync(new SimulatorOptions
        {
            TimeToFirstTokenMs = 10, TokensPerSecond = 200, ResponseTokens = ResponseTokens, FailStatus = 503,
        });
        Steady = await OllamaSimulator.OllamaSimulator.StartAsync(fast);
        Classifier = await ClassifierStub.StartAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ollama:Models:0"] = "llama3.2",
            ["Ollama:Models:1"] = "qwen2.5-coder",
            ["Ollama:Models:2"] = "deepseek-r1",
            ["Ollama:Endpoints:0"] = Refused.ToString(),
            ["Ollama:Endpoints:1"] = Busy.BaseUrl.ToString(),
            ["Ollama:Endpoints:2"] = Healthy.BaseUrl.ToString(),
            ["Ollama:ModelEndpoints:qwen2.5-coder:0"] = Flaky.BaseUrl.ToString(),
            ["Ollama:ModelEndpoints:qwen2.5-coder:1"] = Steady.BaseUrl.ToString(),
            ["Ollama:ModelEndpoints:deepseek-r1:0"] = Gone.ToString(),
            ["Ollama:ModelEndpoints:deepseek-r1:1"] = Steady.BaseUrl.ToString(),
            ["Ollama:IdleTimeout"] = "00:00:02",
            ["Ollama:ProbeBackoff"] = "00:00:00.500",
            ["Ollama:MaxProbeBackoff"] = "00:00:02",
            ["Classifier:Url"] = Classifier.Url.ToString(),
        }).Build();

        Cluster = await RouterTestCluster.StartAsync(2, configuration);
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Classifier.DisposeAsync();
        foreach (var simulator in new[] { Busy, Healthy, Flaky, Steady, Returned })
        {
            if (simulator is not null) await simulator.DisposeAsync();
        }

        _refused.Dispose();
        _gone.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ReplicaClusterCollection : ICollectionFixture<ReplicaClusterFixture>
{
    public const string Name = "two-silo cluster with Ollama replicas";
}
