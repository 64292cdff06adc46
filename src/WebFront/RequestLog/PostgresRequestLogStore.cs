using System.Data.Common;
using Npgsql;
using Router.Hosting;

namespace Router.WebFront.RequestLog;

/// <summary>
/// The request log in PostgreSQL, shared by every web front of a cluster, so the usage API of any
/// of them sees every request. Migrations run under an advisory lock, so web fronts may start at once.
/// </summary>
public sealed class PostgresRequestLogStore(string connectionString, TimeSpan commandTimeout) : RequestLogStore(commandTimeout)
{
    // An arbitrary fixed key, apart from the one the Orleans schema uses.
    private const long MigrationLockKey = 0x526F7574_65720023;

    private readonly string _connectionString = new NpgsqlConnectionStringBuilder(connectionString)
    {
        // A server that is gone must fail a write soon: rows wait in the buffer meanwhile.
        Timeout = Math.Max(1, (int)Math.Ceiling(commandTimeout.TotalSeconds)),
    }.ToString();

    public override string Description => $"PostgreSQL {PostgresSchema.Describe(_connectionString)}";

    protected override IReadOnlyList<string> Migrations => RequestLogSchema.Postgres;

    protected override DbConnection CreateConnection() => new NpgsqlConnection(_connectionString);

    public override Task<RequestLogInserter> OpenInserterAsync(CancellationToken cancellationToken) =>
        PostgresRequestLogInserter.OpenAsync(_connectionString, CommandTimeout, cancellationToken);

    protected override async Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({MigrationLockKey})", (NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>After a restart of the server every pooled connection is dead: drop them, so the next try opens fresh ones.</summary>
    protected override void OnFailure(DbConnection connection) => NpgsqlConnection.ClearPool((NpgsqlConnection)connection);
}
