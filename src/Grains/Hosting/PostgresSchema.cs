using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Messaging;
using Orleans.Runtime.Membership;

namespace Router.Grains.Hosting;

/// <summary>
/// The PostgreSQL tables, functions and queries that Orleans' ADO.NET providers expect. The NuGet
/// packages ship no schema, so the router carries its own scripts (<c>Sql/PostgreSQL-*.sql</c>,
/// embedded) and applies them at start-up. Every script is idempotent and runs under an advisory
/// lock, so any number of silos and clients may start at once against a new or an existing database.
/// </summary>
public static partial class PostgresSchema
{
    /// <summary>The ADO.NET invariant Orleans uses to load Npgsql.</summary>
    public const string Invariant = "Npgsql";

    // An arbitrary, fixed key: every router process serialises its schema work on it.
    private const long AdvisoryLockKey = 0x526F7574_65720001;

    // How long a starting process waits for PostgreSQL to accept connections (it may start alongside).
    private static readonly TimeSpan ConnectPatience = TimeSpan.FromSeconds(30);

    /// <summary>The embedded scripts in the order they must run.</summary>
    public static IReadOnlyList<(string Name, string Text)> Scripts { get; } = LoadScripts();

    /// <summary>
    /// Applies every script in one transaction under a transaction-scoped advisory lock; safe to
    /// repeat and to run from several processes at once. Waits up to 30 s for an unreachable server.
    /// </summary>
    public static async Task EnsureAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        if (Scripts.Count == 0)
        {
            throw new InvalidOperationException("This build contains no PostgreSQL schema scripts (src/Grains/Sql/*.sql).");
        }

        var deadline = DateTime.UtcNow + ConnectPatience;
        while (true)
        {
            try
            {
                await ApplyOnceAsync(connectionString, cancellationToken);
                return;
            }
            catch (NpgsqlException e) when (e.IsTransient && DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    /// <summary>Host, port and database of a connection string, for messages (never the password).</summary>
    public static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database}";
    }

    /// <summary>A silo applies the schema to this database before Orleans first touches it.</summary>
    public static IServiceCollection AddPostgresSchema(this IServiceCollection services, string connectionString)
    {
        services.AddSchemaTarget(connectionString);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILifecycleParticipant<ISiloLifecycle>, PostgresSchemaInitializer>());
        return services;
    }

    /// <summary>
    /// Cluster-client membership in PostgreSQL: the ADO.NET gateway list provider, which applies the
    /// schema before its first query. (A client's lifecycle starts only after it has connected, too
    /// late for that, so the step sits in the gateway list provider.)
    /// </summary>
    public static IClientBuilder UsePostgresClustering(this IClientBuilder client, string connectionString)
    {
        client.UseAdoNetClustering(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = connectionString;
        });
        client.Services.Replace(ServiceDescriptor.Singleton<IGatewayListProvider>(sp => new SchemaFirstGatewayListProvider(
            connectionString,
            ActivatorUtilities.CreateInstance<AdoNetGatewayListProvider>(sp),
            sp.GetRequiredService<ILogger<SchemaFirstGatewayListProvider>>())));
        return client;
    }

    /// <summary>
    /// A silo sweeps, hourly, the stream pub-sub rows of its service that nobody wrote for a day
    /// (streams whose silo died mid-stream, or whose producer never unregistered), as the Redis
    /// store's entry expiry does; the rows of finished streams would otherwise pile up.
    /// </summary>
    public static IServiceCollection AddPostgresPubSubSweep(this IServiceCollection services, string connectionString)
    {
        services.AddHostedService(sp => new PostgresPubSubSweeper(
            connectionString,
            sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
            sp.GetRequiredService<ILogger<PostgresPubSubSweeper>>()));
        return services;
    }

    /// <summary>Deletes the service's stream pub-sub rows last written more than <paramref name="age"/> ago; returns how many.</summary>
    public static async Task<int> SweepPubSubAsync(string connectionString, string serviceId, TimeSpan age, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "DELETE FROM OrleansStorage WHERE ServiceId = @serviceId AND GrainTypeString = @grainType AND ModifiedOn < now() - @age",
            connection);
        command.Parameters.AddWithValue("serviceId", serviceId);
        command.Parameters.AddWithValue("grainType", PubSubGrainType);
        command.Parameters.AddWithValue("age", age);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // How Orleans' ADO.NET storage names the stream pub-sub grain in OrleansStorage.GrainTypeString.
    private const string PubSubGrainType = "PubSubRendezvousGrain";

    private static void AddSchemaTarget(this IServiceCollection services, string connectionString)
    {
        var known = services.Any(d => d.ServiceType == typeof(PostgresSchemaTarget)
            && d.ImplementationInstance is PostgresSchemaTarget target
            && target.ConnectionString == connectionString);
        if (!known) services.AddSingleton(new PostgresSchemaTarget(connectionString));
    }

    private static async Task ApplyOnceAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", connection, transaction))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var (_, text) in Scripts)
        {
            await using var command = new NpgsqlCommand(text, connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static List<(string, string)> LoadScripts()
    {
        var assembly = typeof(PostgresSchema).Assembly;
        var scripts = new List<(string, string)>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.EndsWith(".sql", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            scripts.Add((name, reader.ReadToEnd()));
        }

        return scripts;
    }
}

/// <summary>A database the schema is applied to (clustering and storage may use different ones).</summary>
internal sealed record PostgresSchemaTarget(string ConnectionString);

/// <summary>Runs <see cref="PostgresSchema.EnsureAsync"/> on every target at the silo's very first lifecycle stage.</summary>
internal sealed partial class PostgresSchemaInitializer(IEnumerable<PostgresSchemaTarget> targets, ILogger<PostgresSchemaInitializer> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(PostgresSchemaInitializer), ServiceLifecycleStage.First, ApplyAsync);

    private async Task ApplyAsync(CancellationToken cancellationToken)
    {
        foreach (var target in targets)
        {
            await PostgresSchema.EnsureAsync(target.ConnectionString, cancellationToken);
            SchemaApplied(logger, PostgresSchema.Scripts.Count, PostgresSchema.Describe(target.ConnectionString));
        }
    }

    [LoggerMessage(1101, LogLevel.Information, "PostgreSQL schema for Orleans checked ({Scripts} scripts) on {Database}")]
    internal static partial void SchemaApplied(ILogger logger, int scripts, string database);
}

/// <summary>The ADO.NET gateway list provider of a cluster client, applying the schema before it starts.</summary>
internal sealed class SchemaFirstGatewayListProvider(string connectionString, IGatewayListProvider inner, ILogger<SchemaFirstGatewayListProvider> logger)
    : IGatewayListProvider
{
    public TimeSpan MaxStaleness => inner.MaxStaleness;

    public bool IsUpdatable => true;

    public async Task InitializeGatewayListProvider()
    {
        await PostgresSchema.EnsureAsync(connectionString);
        PostgresSchemaInitializer.SchemaApplied(logger, PostgresSchema.Scripts.Count, PostgresSchema.Describe(connectionString));
        await inner.InitializeGatewayListProvider();
    }

    public Task<IList<Uri>> GetGateways() => inner.GetGateways();
}

/// <summary>Runs <see cref="PostgresSchema.SweepPubSubAsync"/> every hour for rows older than a day.</summary>
internal sealed partial class PostgresPubSubSweeper(string connectionString, string serviceId, ILogger<PostgresPubSubSweeper> logger) : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromHours(1);
    private static readonly TimeSpan Age = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var deleted = await PostgresSchema.SweepPubSubAsync(connectionString, serviceId, Age, stoppingToken);
                if (deleted > 0) Swept(logger, deleted);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The next tick tries again; the rows only cost space meanwhile.
                SweepFailed(logger, e);
            }
        }
    }

    [LoggerMessage(1102, LogLevel.Information, "Deleted {Rows} stream pub-sub rows older than a day from PostgreSQL")]
    private static partial void Swept(ILogger logger, int rows);

    [LoggerMessage(1103, LogLevel.Warning, "Sweeping old stream pub-sub rows from PostgreSQL failed")]
    private static partial void SweepFailed(ILogger logger, Exception exception);
}
