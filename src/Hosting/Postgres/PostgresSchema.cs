using Npgsql;
using Polly;
using Polly.Retry;

namespace Router.Hosting;

/// <summary>
/// The PostgreSQL tables, functions and queries that Orleans' ADO.NET providers expect. The NuGet
/// packages ship no schema, so the router carries its own scripts (<c>Sql/PostgreSQL-*.sql</c>,
/// embedded; each one idempotent) and applies them at start-up in one transaction under an
/// advisory lock, so any number of silos and clients may start at once against a new or an
/// existing database.
/// </summary>
public static class PostgresSchema
{
    /// <summary>The ADO.NET invariant Orleans uses to load Npgsql.</summary>
    public const string Invariant = "Npgsql";

    // An arbitrary, fixed key: every router process serialises its schema work on it.
    private const long AdvisoryLockKey = 0x526F7574_65720001;

    // A starting process waits about 30 s for PostgreSQL to accept connections (it may start alongside).
    private static readonly ResiliencePipeline UntilReachable = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<NpgsqlException>(e => e.IsTransient),
            BackoffType = DelayBackoffType.Constant,
            Delay = TimeSpan.FromSeconds(1),
            MaxRetryAttempts = 30,
        })
        .Build();

    /// <summary>The embedded scripts in the order they must run.</summary>
    public static IReadOnlyList<string> Scripts { get; } = LoadScripts();

    /// <summary>Applies every script; safe to repeat and to run from several processes at once.</summary>
    public static async Task EnsureAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        if (Scripts.Count == 0)
        {
            throw new InvalidOperationException("This build contains no PostgreSQL schema scripts (src/Hosting/Sql/*.sql).");
        }

        await UntilReachable.ExecuteAsync(async token =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(token);
            await using var transaction = await connection.BeginTransactionAsync(token);
            foreach (var sql in Scripts.Prepend($"SELECT pg_advisory_xact_lock({AdvisoryLockKey})"))
            {
                await using var command = new NpgsqlCommand(sql, connection, transaction);
                await command.ExecuteNonQueryAsync(token);
            }

            await transaction.CommitAsync(token);
        }, cancellationToken);
    }

    /// <summary>Host, port and database of a connection string, for messages (never the password).</summary>
    public static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database}";
    }

    private static List<string> LoadScripts()
    {
        var assembly = typeof(PostgresSchema).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
                return reader.ReadToEnd();
            })
            .ToList();
    }
}
