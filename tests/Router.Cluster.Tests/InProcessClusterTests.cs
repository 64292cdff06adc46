using System.Threading.Channels;
using Microsoft.Extensions.Configuration;
using Orleans.Streams;
using Orleans.TestingHost;
using Router.Cluster.Tests.Infrastructure;
using Router.Grains.Hosting;
using Router.Hosting;
using Router.Hosting.Streaming;
using Router.Grains.Interfaces;

namespace Router.Cluster.Tests;

/// <summary>
/// Three in-process silos (Orleans.TestingHost) wired like production silos, with Redis grain state:
/// streams delivered across silos, session state after a silo stops, and placement of 1,000 users.
/// Seconds, not minutes: the fast check of what the process tests cover in depth.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Slow")]
public sealed class InProcessClusterTests(ClusterServices services, ITestOutputHelper output)
{
    [Fact]
    public async Task Streams_cross_silos_and_sessions_survive_a_stopped_silo()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orleans:Storage:Provider"] = "Redis",
            ["Orleans:Storage:ConnectionString"] = services.Redis.ConnectionString,
            ["Ollama:BaseUrl"] = services.Simulator.BaseUrl.ToString(),
            ["Classifier:Url"] = services.Classifier.Url.ToString(),
            ["Silo:DrainTime"] = "00:00:05",
        }).Build();
        var builder = new InProcessTestClusterBuilder(3);
        // The test cluster brings its own membership; Orleans' storage providers read the translated settings.
        var storage = OrleansProviderKeys.StorageKeys(RouterClusterOptions.From(configuration), durablePubSub: false);
        builder.ConfigureSiloHost((_, host) => host.Configuration.AddInMemoryCollection(storage));
        builder.ConfigureSilo((_, silo) => silo.AddRouterSiloDefaults(configuration).AddRouter(configuration));
        builder.ConfigureClient(client => client.AddLaneStreams(RouterStreams.ProviderName));
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        var client = cluster.Client;
        var figures = new Figures("In-process cluster, three silos", output);
        var users = Enumerable.Range(0, 30).Select(i => $"inproc-{Guid.NewGuid():N}"[..20] + $"-{i:D2}").ToArray();

        // Every user's stream completes, whichever silo runs it and whichever silo's agent delivers it.
        var tickets = await Task.WhenAll(users.Select(u => GrainCompletions.CompleteAsync(client, u, $"first turn of {u} [[sim:ttft=0,tokens=4]]")));
        var bySilo = tickets.GroupBy(t => t.Ticket.Silo).ToDictionary(g => g.Key!, g => g.Select(t => t.User).ToList());
        figures.Add("generations per silo (30 users)", string.Join(", ", bySilo.Select(kv => $"{kv.Key}: {kv.Value.Count}")));
        Assert.True(tickets.All(t => t.Events[^1].Kind == CompletionEventKind.Done), "first round: every stream ends with done");
        Assert.True(bySilo.Count >= 2, "first round: generations ran on at least two silos");

        // Stop a silo (not the primary) that holds sessions; their state comes back from Redis elsewhere.
        var primary = cluster.Silos[0].SiloAddress;
        var (stopped, stoppedUsers) = bySilo.Where(kv => !kv.Key.Equals(primary)).OrderByDescending(kv => kv.Value.Count).First();
        await cluster.StopSiloAsync(cluster.GetSiloForAddress(stopped)!);
        foreach (var user in stoppedUsers)
        {
            var session = await client.GetGrain<IUserSessionGrain>(user).GetSessionAsync();
            Assert.True(session.Turns.Any(t => t.UserMessage.StartsWith("first turn of", StringComparison.Ordinal)),
                $"after the stop: {user}'s first turn is missing");
        }

        var after = await Task.WhenAll(stoppedUsers.Select(u => GrainCompletions.CompleteAsync(client, u, "second turn [[sim:ttft=0,tokens=4]]")));
        Assert.True(after.All(t => t.Events[^1].Kind == CompletionEventKind.Done && !stopped.Equals(t.Ticket.Silo)),
            "after the stop: the stopped silo's users are served by the others");
        figures.Add("sessions of the stopped silo found again", $"{stoppedUsers.Count} of {stoppedUsers.Count}");

        var placement = await PlacementAsync(client, 1000);
        figures.Add("session placement of 1,000 users on the two remaining silos", placement);
        figures.Save();
    }

    private static async Task<string> PlacementAsync(IClusterClient client, int count)
    {
        var prefix = "placement-" + Guid.NewGuid().ToString("N")[..8];
        await Task.WhenAll(Enumerable.Range(0, count).Select(i => client.GetGrain<IUserSessionGrain>($"{prefix}-{i:D4}").GetSessionAsync().AsTask()));
        var stats = await client.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        return string.Join(", ", stats.Where(s => s.GrainType.Contains("UserSession", StringComparison.OrdinalIgnoreCase))
            .GroupBy(s => s.SiloAddress).Select(g => $"{g.Key}: {g.Sum(s => s.ActivationCount)}"));
    }
}
