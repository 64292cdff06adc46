using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Persistence;
using Orleans.Serialization;
using Orleans.Storage;
using Router.Grains.Interfaces;

namespace Router.Grains.Hosting;

/// <summary>Grain state of a silo, switched by <c>Orleans:Storage:Provider</c>.</summary>
public static class SiloBuilderStorageExtensions
{
    /// <summary>
    /// The session store, the API key store and the stream pub-sub store. With <c>Redis</c> or <c>AdoNet</c> a user's
    /// session outlives the silo that held it; stream subscriptions stay in memory unless
    /// <c>Streaming:DurablePubSub</c> is set.
    /// </summary>
    public static ISiloBuilder AddRouterStorage(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = OrleansProviderOptions.From(configuration);

        // A completion stream lives for seconds and dies with its silo anyway, so by default its
        // subscriptions stay in memory: a durable store would add a write (and an fsync) to every
        // request's first token. Streaming:DurablePubSub=true puts them in the session store too.
        var durablePubSub = configuration.GetValue("Streaming:DurablePubSub", false);
        string[] names = [RouterStorage.Sessions, RouterStorage.Keys, RouterStreams.PubSubStorageName];
        foreach (var name in names)
        {
            if (options.UsesStorage(StorageProviders.Memory) || (name == RouterStreams.PubSubStorageName && !durablePubSub))
            {
                silo.AddMemoryGrainStorage(name);
            }
            else if (options.UsesStorage(StorageProviders.Redis))
            {
                var connectionString = options.StorageConnectionString!;
                var pubSub = name == RouterStreams.PubSubStorageName;
                silo.AddRedisGrainStorage(name, o =>
                {
                    o.ConfigurationOptions = RedisConnection.Parse(connectionString);
                    if (pubSub)
                    {
                        // One pub-sub entry per completion stream: remove it when the stream is done,
                        // and let any left behind (a silo died mid-stream) expire.
                        o.DeleteStateOnClear = true;
                        o.EntryExpiry = TimeSpan.FromDays(1);
                    }
                });
            }
            else
            {
                var connectionString = options.StorageConnectionString!;
                var pubSub = name == RouterStreams.PubSubStorageName;
                silo.AddAdoNetGrainStorage(name, o =>
                {
                    o.Invariant = PostgresSchema.Invariant;
                    o.ConnectionString = connectionString;

                    // As with Redis: a completion stream's pub-sub row goes when the stream is done.
                    o.DeleteStateOnClear = pubSub;
                });
                silo.Services.AddPostgresSchema(connectionString);
                if (pubSub) silo.Services.AddPostgresPubSubSweep(connectionString);
            }
        }

        silo.UseRouterStateFormat(options);
        return silo;
    }

    /// <summary>
    /// Sessions and keys are stored in the router's own versioned format (<see cref="RouterStateSerializer"/>),
    /// which still reads sessions stored before in the default JSON shape.
    /// </summary>
    private static void UseRouterStateFormat(this ISiloBuilder silo, OrleansProviderOptions options)
    {
        foreach (var name in new[] { RouterStorage.Sessions, RouterStorage.Keys })
        {
            if (options.UsesStorage(StorageProviders.Memory)) Configure<MemoryGrainStorageOptions>(silo, name);
            else if (options.UsesStorage(StorageProviders.Redis)) Configure<RedisStorageOptions>(silo, name);
            else Configure<AdoNetGrainStorageOptions>(silo, name);
        }

        static void Configure<TOptions>(ISiloBuilder silo, string name) where TOptions : class, IStorageProviderSerializerOptions =>
            silo.Services.AddOptions<TOptions>(name).Configure<Serializer, IGrainStorageSerializer>(
                (o, serializer, previous) => o.GrainStorageSerializer = new RouterStateSerializer(serializer, previous));
    }
}
