using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using Router.Grains.Hosting;
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

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public OllamaSimulator.OllamaSimulator Simulator { get; private set; } = null!;

    public ClassifierStub Classifier { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync()
    {
        Simulator = await OllamaSimulator.OllamaSimulator.StartAsync(new SimulatorOptions { TimeToFirstTokenMs = 10, TokensPerSecond = 200, ResponseTokens = 6 });
        Classifier = await ClassifierStub.StartAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ollama:BaseUrl"] = Simulator.BaseUrl.ToString(),
            ["Ollama:IdleTimeout"] = "00:00:02",
            ["Classifier:Url"] = Classifier.Url.ToString(),
            ["Generation:MaxTurns"] = MaxTurns.ToString(),
        }).Build();

        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) => silo.AddRouter(configuration));
        builder.ConfigureClient(client => client.AddLaneStreams(RouterStreams.ProviderName));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Classifier.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "two-silo cluster";
}
