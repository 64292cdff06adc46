using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Orleans.Messaging;
using Orleans.Runtime.Membership;

namespace Router.Hosting;

/// <summary>When <see cref="PostgresSchema"/> runs: before Orleans first touches the database, on silos and on clients.</summary>
public static partial class PostgresSchemaHosting
{
    /// <summary>A silo applies the schema to this database at its very first lifecycle stage.</summary>
    public static IServiceCollection AddPostgresSchema(this IServiceCollection services, string connectionString)
    {
        services.AddSingleton(new PostgresSchemaTarget(connectionString));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILifecycleParticipant<ISiloLifecycle>, PostgresSchemaInitializer>());
        return services;
    }

    /// <summary>
    /// A client with PostgreSQL membership applies the schema in its gateway list provider, before
    /// the first query. (A client's lifecycle starts only after it has connected, too late for that.)
    /// </summary>
    public static IClientBuilder ApplyPostgresSchemaFirst(this IClientBuilder client, string connectionString)
    {
        client.Services.Replace(ServiceDescriptor.Singleton<IGatewayListProvider>(sp => new SchemaFirstGatewayListProvider(
            connectionString,
            ActivatorUtilities.CreateInstance<AdoNetGatewayListProvider>(sp),
            sp.GetRequiredService<ILogger<SchemaFirstGatewayListProvider>>())));
        return client;
    }

    internal static async Task ApplyAsync(string connectionString, ILogger logger, CancellationToken cancellationToken)
    {
        await PostgresSchema.EnsureAsync(connectionString, cancellationToken);
        SchemaApplied(logger, PostgresSchema.Scripts.Count, PostgresSchema.Describe(connectionString));
    }

    [LoggerMessage(3001, LogLevel.Information, "PostgreSQL schema for Orleans checked ({Scripts} scripts) on {Database}")]
    private static partial void SchemaApplied(ILogger logger, int scripts, string database);
}

/// <summary>A database the schema is applied to (clustering and storage may use different ones).</summary>
internal sealed record PostgresSchemaTarget(string ConnectionString);

/// <summary>Applies the schema to every target at the silo's first lifecycle stage.</summary>
internal sealed class PostgresSchemaInitializer(IEnumerable<PostgresSchemaTarget> targets, ILogger<PostgresSchemaInitializer> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(PostgresSchemaInitializer), ServiceLifecycleStage.First, async cancellationToken =>
        {
            foreach (var database in targets.Select(t => t.ConnectionString).Distinct(StringComparer.Ordinal))
            {
                await PostgresSchemaHosting.ApplyAsync(database, logger, cancellationToken);
            }
        });
}

/// <summary>The ADO.NET gateway list provider of a cluster client, applying the schema before it starts.</summary>
internal sealed class SchemaFirstGatewayListProvider(string connectionString, IGatewayListProvider inner, ILogger<SchemaFirstGatewayListProvider> logger)
    : IGatewayListProvider
{
    public TimeSpan MaxStaleness => inner.MaxStaleness;

    public bool IsUpdatable => true;

    public async Task InitializeGatewayListProvider()
    {
        await PostgresSchemaHosting.ApplyAsync(connectionString, logger, CancellationToken.None);
        await inner.InitializeGatewayListProvider();
    }

    public Task<IList<Uri>> GetGateways() => inner.GetGateways();
}
