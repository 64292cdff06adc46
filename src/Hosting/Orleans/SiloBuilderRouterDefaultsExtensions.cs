using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Persistence;
using Orleans.Serialization;
using Orleans.Storage;
using Router.Grains.Interfaces;
using Router.Grains.Interfaces.Responses;
using Router.Hosting.Streaming;

namespace Router.Hosting;

/// <summary>What every router silo has besides its grains, whichever providers configuration chose.</summary>
public static class SiloBuilderRouterDefaultsExtensions
{
    /// <summary>
    /// Distributed tracing of grain calls, TLS when configured, the lane stream provider, the
    /// router's grain-state format, the PostgreSQL schema for ADO.NET providers, and in-memory
    /// storage for any of the router's storages that configuration left out (a test cluster's silos).
    /// </summary>
    public static ISiloBuilder AddRouterSiloDefaults(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.AddActivityPropagation();
        silo.UseRouterTls(configuration);
        silo.AddLaneStreams(RouterStreams.ProviderName, configuration);
        silo.AddRouterStateFormat();
        foreach (var name in OrleansProviderKeys.StorageNames)
        {
            if (!silo.Services.Any(d => d.IsKeyedService && d.ServiceType == typeof(IGrainStorage) && Equals(d.ServiceKey, name)))
            {
                silo.AddMemoryGrainStorage(name, o => o.Configure<IServiceProvider>((options, services) =>
                {
                    if (name != RouterStreams.PubSubStorageName) options.GrainStorageSerializer = services.GetRequiredKeyedService<IGrainStorageSerializer>(OrleansProviderKeys.StateSerializerKey);
                }));
            }
        }

        // A pub-sub entry goes when its stream is done, and Redis lets any left behind (a silo died
        // mid-stream) expire; PostgreSQL rows left behind are swept (PostgresPubSubSweeper).
        silo.Services.Configure<RedisStorageOptions>(RouterStreams.PubSubStorageName, o =>
        {
            o.DeleteStateOnClear = true;
            o.EntryExpiry = TimeSpan.FromDays(1);
        });
        silo.Services.Configure<AdoNetGrainStorageOptions>(RouterStreams.PubSubStorageName, o => o.DeleteStateOnClear = true);

        // A stored response is written once and forgotten after its retention: Redis expires the
        // entry by itself (the grain also refuses an expired one), and a deleted one leaves nothing behind.
        var retention = configuration.GetValue(ResponseStoreSettings.RetentionKey, ResponseStoreSettings.DefaultRetention);
        silo.Services.Configure<RedisStorageOptions>(RouterStorage.Responses, o =>
        {
            o.DeleteStateOnClear = true;
            o.EntryExpiry = retention;
        });
        silo.Services.Configure<AdoNetGrainStorageOptions>(RouterStorage.Responses, o => o.DeleteStateOnClear = true);

        foreach (var database in OrleansProviderKeys.AdoNetDatabases(silo.Configuration)) silo.Services.AddPostgresSchema(database);
        if (OrleansProviderKeys.IsAdoNetStorage(silo.Configuration, RouterStreams.PubSubStorageName))
        {
            silo.Services.AddPostgresPubSubSweep(silo.Configuration[$"Orleans:GrainStorage:{RouterStreams.PubSubStorageName}:ConnectionString"]!);
        }

        return silo;
    }

    /// <summary>
    /// Sessions and keys are stored in the router's own versioned format (<see cref="RouterStateSerializer"/>,
    /// named by <c>SerializerKey</c> in their storage's configuration), which still reads state stored
    /// before in the default JSON shape.
    /// </summary>
    private static void AddRouterStateFormat(this ISiloBuilder silo) =>
        silo.Services.AddKeyedSingleton<IGrainStorageSerializer>(OrleansProviderKeys.StateSerializerKey, (services, _) =>
            new RouterStateSerializer(services.GetRequiredService<Serializer>(), services.GetRequiredService<IGrainStorageSerializer>()));
}
