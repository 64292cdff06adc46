using System.Net;
using Microsoft.Extensions.Configuration;
using Router.Grains.Interfaces;
using StackExchange.Redis;

namespace Router.Hosting;

/// <summary>
/// Translates the router's documented cluster settings (<c>Orleans:Clustering:Provider</c>,
/// <c>Orleans:Storage:Provider</c>, ...; see <see cref="RouterClusterOptions"/>) into the keys that
/// Orleans' own configuration-driven providers read when <c>UseOrleans</c> / <c>UseOrleansClient</c>
/// build a silo or a client (<c>Orleans:Clustering:ProviderType</c>,
/// <c>Orleans:GrainStorage:&lt;name&gt;:ProviderType</c>, ...). This is the one place where a provider
/// name is switched on; silos and clients both read its result.
/// </summary>
public static class OrleansProviderKeys
{
    /// <summary>The key of the router's grain-state serializer (<see cref="RouterStateSerializer"/>), as <c>SerializerKey</c> names it.</summary>
    public const string StateSerializerKey = "router-state";

    private const string Clustering = "Orleans:Clustering";
    private const string GrainStorage = "Orleans:GrainStorage";
    private const string ProviderType = "ProviderType";
    private const string ConnectionString = "ConnectionString";

    /// <summary>The grain storages the router's grains and streams use.</summary>
    public static readonly string[] StorageNames = [RouterStorage.Sessions, RouterStorage.Keys, RouterStorage.Responses, RouterStreams.PubSubStorageName];

    /// <summary>
    /// Validates the documented settings (a bad one fails here, naming it) and adds their
    /// translation as the last configuration source, before <c>UseOrleans</c> or
    /// <c>UseOrleansClient</c> reads it. Grain storage is a silo's alone: a client given storage
    /// keys would look for client-side storage providers, which do not exist.
    /// </summary>
    public static RouterClusterOptions AddOrleansProviderKeys(this IConfigurationManager configuration, bool silo = true)
    {
        var options = RouterClusterOptions.From(configuration);
        var keys = ClusterKeys(options);
        if (silo)
        {
            foreach (var (key, value) in StorageKeys(options, configuration.GetValue("Streaming:DurablePubSub", false))) keys[key] = value;
        }

        configuration.AddInMemoryCollection(keys);
        return options;
    }

    /// <summary>Cluster identity and membership, for silos and clients.</summary>
    public static Dictionary<string, string?> ClusterKeys(RouterClusterOptions options)
    {
        var keys = new Dictionary<string, string?>
        {
            ["Orleans:ClusterId"] = options.ClusterId,
            ["Orleans:ServiceId"] = options.ServiceId,
        };

        if (options.UsesClustering(ClusteringProviders.Localhost))
        {
            // A development cluster on 127.0.0.1: the silo is its own primary, the client's one gateway is it.
            keys[$"{Clustering}:{ProviderType}"] = "Development";
            keys[$"{Clustering}:PrimarySiloEndPoint"] = new IPEndPoint(IPAddress.Loopback, options.SiloPort).ToString();
            keys[$"{Clustering}:Gateways:0"] = new IPEndPoint(IPAddress.Loopback, options.GatewayPort).ToString();
        }
        else
        {
            AddProvider(keys, Clustering, options.Clustering.Provider, options.Clustering.ConnectionString!);
        }

        return keys;
    }

    /// <summary>The silo's grain storages: sessions, API keys, stored responses and the stream pub-sub store.</summary>
    /// <param name="durablePubSub">
    /// A lane's pub-sub state lives as long as its web front and dies with its silo anyway, so by
    /// default it stays in memory: a durable store would add a write to every subscription.
    /// <c>Streaming:DurablePubSub=true</c> puts it in the session store too.
    /// </param>
    public static Dictionary<string, string?> StorageKeys(RouterClusterOptions options, bool durablePubSub)
    {
        var keys = new Dictionary<string, string?>();
        foreach (var name in StorageNames)
        {
            var section = $"{GrainStorage}:{name}";
            var inMemory = options.UsesStorage(StorageProviders.Memory) || (name == RouterStreams.PubSubStorageName && !durablePubSub);
            AddProvider(keys, section, inMemory ? StorageProviders.Memory : options.Storage.Provider, options.StorageConnectionString!);
            if (name != RouterStreams.PubSubStorageName) keys[$"{section}:SerializerKey"] = StateSerializerKey;
        }

        return keys;
    }

    /// <summary>The ADO.NET (PostgreSQL) databases the translated configuration names, for the schema to be applied to.</summary>
    public static IReadOnlyList<string> AdoNetDatabases(IConfiguration configuration)
    {
        var orleans = configuration.GetSection("Orleans");
        IEnumerable<IConfigurationSection> providers = [orleans.GetSection("Clustering"), .. orleans.GetSection("GrainStorage").GetChildren()];
        return providers
            .Where(p => RouterClusterOptionsValidator.Is(p[ProviderType] ?? "", StorageProviders.AdoNet) && !string.IsNullOrWhiteSpace(p[ConnectionString]))
            .Select(p => p[ConnectionString]!)
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Whether grain storage <paramref name="name"/> is configured as an ADO.NET (PostgreSQL) one.</summary>
    public static bool IsAdoNetStorage(IConfiguration configuration, string name) =>
        RouterClusterOptionsValidator.Is(configuration[$"{GrainStorage}:{name}:{ProviderType}"] ?? "", StorageProviders.AdoNet);

    /// <summary>Whether the translated configuration uses a shared membership table (not the 127.0.0.1 development cluster).</summary>
    public static bool SharedMembership(IConfiguration configuration) =>
        !string.Equals(configuration[$"{Clustering}:{ProviderType}"] ?? "Development", "Development", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether membership is kept in PostgreSQL, and where.</summary>
    public static string? AdoNetClustering(IConfiguration configuration) =>
        RouterClusterOptionsValidator.Is(configuration[$"{Clustering}:{ProviderType}"] ?? "", ClusteringProviders.AdoNet)
            ? configuration[$"{Clustering}:{ConnectionString}"]
            : null;

    private static void AddProvider(Dictionary<string, string?> keys, string section, string provider, string connectionString)
    {
        if (RouterClusterOptionsValidator.Is(provider, StorageProviders.Memory))
        {
            keys[$"{section}:{ProviderType}"] = StorageProviders.Memory;
        }
        else if (RouterClusterOptionsValidator.Is(provider, StorageProviders.Redis))
        {
            keys[$"{section}:{ProviderType}"] = StorageProviders.Redis;
            keys[$"{section}:{ConnectionString}"] = KeepReconnecting(connectionString);
        }
        else
        {
            // AdoNet means PostgreSQL through Npgsql (the validator has checked the connection string).
            keys[$"{section}:{ProviderType}"] = StorageProviders.AdoNet;
            keys[$"{section}:{ConnectionString}"] = connectionString;
            keys[$"{section}:Invariant"] = PostgresSchema.Invariant;
        }
    }

    /// <summary>
    /// The process starts even while Redis is down and keeps reconnecting, so a Redis restart is an
    /// outage, not a crash: <c>abortConnect=false</c> in the connection string Orleans parses.
    /// </summary>
    private static string KeepReconnecting(string connectionString)
    {
        var redis = ConfigurationOptions.Parse(connectionString);
        redis.AbortOnConnectFail = false;
        return redis.ToString(includePassword: true);
    }
}
