using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Router.Grains.Hosting;

/// <summary>
/// The PostgreSQL tables, functions and queries that Orleans' ADO.NET providers expect. The NuGet
/// packages ship no schema, so the router carries its own scripts (<c>Sql/*.sql</c>, embedded) and
/// applies them at start-up. Every script is idempotent and runs under an advisory lock, so any
/// number of silos and clients may start at once against a new or an existing database.
/// </summary>
public static partial class PostgresSchema
{
    /// <summary>The ADO.NET invariant Orleans uses to load Npgsql.</summary>
    public const string Invariant = "Npgsql";

    // An arbitrary, fixed key: every router process serialises its schema work on it.
    private const long AdvisoryLockKey = 0x526F7574_65720001;

    /// <summary>The embedded scripts in the order they must run.</summary>
    public static IReadOnlyList<(string Name, string Text)> Scripts { get; } = LoadScripts();

    /// <summary>Applies every script in one transaction; safe to repeat.</summary>
    public static async Task EnsureAsync(string connectionString, CancellationToken cancellationToken = default)
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

    /// <summary>Applies the schema before Orleans first touches the database (silo or client).</summary>
    public static IServiceCollection AddPostgresSchema(this IServiceCollection services, string connectionString)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILifecycleParticipant<ISiloLifecycle>, PostgresSchemaInitializer>(
            sp => new PostgresSchemaInitializer(connectionString, sp.GetRequiredService<ILogger<PostgresSchemaInitializer>>())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILifecycleParticipant<IClusterClientLifecycle>, PostgresSchemaInitializer>(
            sp => new PostgresSchemaInitializer(connectionString, sp.GetRequiredService<ILogger<PostgresSchemaInitializer>>())));
        return services;
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

/// <summary>Runs <see cref="PostgresSchema.EnsureAsync"/> at the very first lifecycle stage.</summary>
internal sealed partial class PostgresSchemaInitializer(string connectionString, ILogger<PostgresSchemaInitializer> logger)
    : ILifecycleParticipant<ISiloLifecycle>, ILifecycleParticipant<IClusterClientLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) => Subscribe(lifecycle);

    public void Participate(IClusterClientLifecycle lifecycle) => Subscribe(lifecycle);

    private void Subscribe(ILifecycleObservable lifecycle) =>
        lifecycle.Subscribe(nameof(PostgresSchemaInitializer), ServiceLifecycleStage.First, ApplyAsync);

    private async Task ApplyAsync(CancellationToken cancellationToken)
    {
        await PostgresSchema.EnsureAsync(connectionString, cancellationToken);
        SchemaApplied(logger, PostgresSchema.Scripts.Count);
    }

    [LoggerMessage(1101, LogLevel.Information, "PostgreSQL schema for Orleans checked ({Scripts} scripts)")]
    private static partial void SchemaApplied(ILogger logger, int scripts);
}
