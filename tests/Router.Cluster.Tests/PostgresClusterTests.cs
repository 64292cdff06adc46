using System.Reflection;
using System.Threading.Channels;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Streams;
using Orleans.TestingHost;
using Router.Cluster.Tests.Infrastructure;
using Router.Grains.Hosting;
using Router.Hosting;
using Router.Testing;
using Router.Grains.Interfaces;

namespace Router.Cluster.Tests;

/// <summary>
/// The <c>AdoNet</c> providers against a real PostgreSQL (scripts/postgres-start.sh): the schema
/// applies again and again, concurrently; three in-process silos use PostgreSQL membership, session
/// storage and stream pub-sub store, and the client finds its gateways there as a web front in client
/// mode does. Sessions survive a stopped silo; streams are delivered across silos.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Slow")]
public sealed class PostgresClusterTests(ClusterServices services, ITestOutputHelper output)
{
    // Orleans' SiloStatus.Active and SiloStatus.Dead, as the membership table stores them.
    private const int Active = 3;
    private const int Dead = 6;

    private static readonly string[] QueryKeys =
    [
        "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey", "UpdateIAmAlivetimeKey",
        "MembershipReadRowKey", "MembershipReadAllKey", "DeleteMembershipTableEntriesKey", "GatewaysQueryKey",
        "CleanupDefunctSiloEntriesKey", "WriteToStorageKey", "ReadFromStorageKey", "ClearStorageKey", "DeleteStorageKey",
    ];

    [Fact]
    public async Task Schema_is_idempotent_and_a_cluster_keeps_sessions_and_streams_in_postgres()
    {
        await using var postgres = await PostgresServer.StartAsync();
        var figures = new Figures("PostgreSQL (AdoNet) cluster, three in-process silos", output);

        // The schema: twice in a row, then three processes' worth at once (the advisory lock serialises them).
        await PostgresSchema.EnsureAsync(postgres.ConnectionString);
        await PostgresSchema.EnsureAsync(postgres.ConnectionString);
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => PostgresSchema.EnsureAsync(postgres.ConnectionString)));
        var keys = await QueryAsync(postgres, "SELECT QueryKey FROM OrleansQuery ORDER BY QueryKey", r => r.GetString(0));
        Assert.Equal(QueryKeys.Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
        figures.Add("schema applied", "5 times (2 sequential, 3 concurrent); OrleansQuery holds the 13 queries once each");

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orleans:Clustering:Provider"] = "AdoNet",
            ["Orleans:Clustering:ConnectionString"] = postgres.ConnectionString,
            ["Orleans:Storage:Provider"] = "AdoNet",
            ["Streaming:DurablePubSub"] = "true",
            ["Ollama:BaseUrl"] = services.Simulator.BaseUrl.ToString(),
            ["Classifier:Url"] = services.Classifier.Url.ToString(),
            ["Silo:DrainTime"] = "00:00:05",
        }).Build();
        var builder = new InProcessTestClusterBuilder(3);
        UseRealMembership(builder.Options);
        // Orleans' own providers read the translated settings, as in the silo and web front hosts.
        builder.ConfigureSiloHost((_, host) => UseSettings(host, configuration, silo: true));
        builder.ConfigureSilo((_, silo) => silo.AddRouterSiloDefaults(configuration).AddRouter(configuration));
        builder.ConfigureClientHost(host => UseSettings(host, configuration, silo: false));
        builder.ConfigureClient(client => client.AddRouterClientDefaults(configuration));
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        var client = cluster.Client;
        var clusterId = builder.Options.ClusterId;

        var members = await QueryAsync(postgres, $"SELECT Status FROM OrleansMembershipTable WHERE DeploymentId = '{clusterId}'", r => r.GetInt32(0));
        Assert.Equal(3, members.Count(s => s == Active));
        figures.Add("membership rows after deploy", $"{members.Count(s => s == Active)} active");

        // Streams complete across silos; their pub-sub state lives in PostgreSQL.
        var users = Enumerable.Range(0, 18).Select(i => $"pg-{Guid.NewGuid():N}"[..16] + $"-{i:D2}").ToArray();
        var tickets = await Task.WhenAll(users.Select(u => GrainCompletions.CompleteAsync(client, u, $"first turn of {u} [[sim:ttft=0,tokens=4]]")));
        Assert.True(tickets.All(t => t.Events[^1].Kind == CompletionEventKind.Done), "every stream ends with done");
        var bySilo = tickets.GroupBy(t => t.Ticket.Silo).ToDictionary(g => g.Key!, g => g.Select(t => t.User).ToList());
        Assert.True(bySilo.Count >= 2, "generations ran on at least two silos");
        figures.Add("generations per silo (18 users)", string.Join(", ", bySilo.Select(kv => $"{kv.Key}: {kv.Value.Count}")));

        var sessionRows = await QueryAsync(postgres,
            "SELECT count(*) FROM OrleansStorage WHERE PayloadBinary IS NOT NULL AND GrainTypeString ILIKE '%session%'", r => r.GetInt64(0));
        Assert.True(sessionRows[0] >= users.Length, $"session rows in OrleansStorage: {sessionRows[0]}, expected at least {users.Length}");
        var byType = await QueryAsync(postgres,
            "SELECT GrainTypeString || ': ' || count(*) FROM OrleansStorage GROUP BY GrainTypeString ORDER BY 1", r => r.GetString(0));
        figures.Add("OrleansStorage rows by grain type after the first round", string.Join(", ", byType));
        Assert.Contains(byType, t => t.StartsWith("PubSubRendezvousGrain", StringComparison.Ordinal));

        // Stop a silo (not the primary) that holds sessions: their state comes back from PostgreSQL elsewhere.
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
        figures.Add("sessions of the stopped silo read back from PostgreSQL", $"{stoppedUsers.Count} of {stoppedUsers.Count}");

        var stoppedStatus = await QueryAsync(postgres,
            $"SELECT Status FROM OrleansMembershipTable WHERE DeploymentId = '{clusterId}' AND Port = {stopped.Endpoint.Port} AND Generation = {stopped.Generation}",
            r => r.GetInt32(0));
        Assert.Equal(new[] { Dead }, stoppedStatus);

        // The one membership query the run does not reach by itself.
        var membership = cluster.Silos[0].SiloHost.Services.GetRequiredService<IMembershipTable>();
        await membership.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddHours(-1));

        // The hourly sweep of old pub-sub rows (here: of any age) leaves the sessions alone.
        var swept = await PostgresPubSubSweeper.SweepPubSubAsync(postgres.ConnectionString, builder.Options.ServiceId, TimeSpan.Zero);
        var left = await QueryAsync(postgres, "SELECT GrainTypeString FROM OrleansStorage", r => r.GetString(0));
        Assert.True(swept > 0, "the sweep deleted pub-sub rows");
        Assert.DoesNotContain("PubSubRendezvousGrain", left);
        Assert.True(left.Count >= users.Length, $"sessions kept by the sweep: {left.Count}");
        figures.Add("pub-sub rows swept", swept);
        figures.Save();
    }

    /// <summary>
    /// The in-process cluster brings its own membership table (and a grain directory tied to it) unless
    /// told otherwise, and that switch is internal: turned off here, silos and the client use
    /// PostgreSQL membership as configured, exactly as the hosts do.
    /// </summary>
    private static void UseSettings(Microsoft.Extensions.Hosting.IHostApplicationBuilder host, IConfiguration configuration, bool silo)
    {
        host.Configuration.AddConfiguration(configuration);
        host.Configuration.AddOrleansProviderKeys(silo);
    }

    private static void UseRealMembership(InProcessTestClusterOptions options)
    {
        var property = typeof(InProcessTestClusterOptions).GetProperty("UseTestClusterMembership", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
            ?? throw new InvalidOperationException("InProcessTestClusterOptions.UseTestClusterMembership is gone; this test needs another way to turn off the test membership table.");
        property.SetValue(options, false);
    }

    private static async Task<List<T>> QueryAsync<T>(PostgresServer postgres, string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync()) rows.Add(read(reader));
        return rows;
    }
}
