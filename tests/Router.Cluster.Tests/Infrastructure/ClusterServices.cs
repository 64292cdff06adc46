using Router.OllamaSimulator;
using Router.Testing;

namespace Router.Cluster.Tests.Infrastructure;

/// <summary>
/// What every test cluster talks to, started once: a real Redis (scripts/redis-start.sh), the Ollama
/// simulator and a classifier service, both over real HTTP on 127.0.0.1.
/// </summary>
public sealed class ClusterServices : IAsyncLifetime
{
    public RedisServer Redis { get; private set; } = null!;

    public OllamaSimulator.OllamaSimulator Simulator { get; private set; } = null!;

    public ClassifierStub Classifier { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        Simulator = await OllamaSimulator.OllamaSimulator.StartAsync(new SimulatorOptions { TimeToFirstTokenMs = 20, TokensPerSecond = 50, ResponseTokens = 5 });
        Classifier = await ClassifierStub.StartAsync();
    }

    /// <summary>Settings every silo and web front of a test cluster shares.</summary>
    public Dictionary<string, string> CommonSettings(string clusterId) => new()
    {
        ["Orleans:Clustering:Provider"] = "Redis",
        ["Orleans:Clustering:ConnectionString"] = Redis.ConnectionString,
        ["Orleans:Storage:Provider"] = "Redis",
        ["Orleans:ClusterId"] = clusterId,
        ["Orleans:ServiceId"] = clusterId,
        ["Ollama:BaseUrl"] = Simulator.BaseUrl.ToString(),
        ["Classifier:Url"] = Classifier.Url.ToString(),
        // Far above what the stub needs on a loaded two-core machine: the product's 3 s turned a slow stub
        // reply into classifier_unavailable (3 of 100 in a SiloStopTests run at a load average of 50).
        ["Classifier:Timeout"] = "00:00:10",
        ["Serilog:MinimumLevel:Default"] = "Information",
    };

    public async Task DisposeAsync()
    {
        await Classifier.DisposeAsync();
        await Simulator.DisposeAsync();
        await Redis.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterServices>
{
    public const string Name = "cluster processes";
}
