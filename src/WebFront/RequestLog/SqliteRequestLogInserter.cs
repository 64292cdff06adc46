using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Router.WebFront.RequestLog;

/// <summary>
/// Inserts rows into SQLite through one statement prepared once on the writer's connection, binding
/// each value natively (text straight from the string's characters). Microsoft.Data.Sqlite's
/// parameters would look every name up, convert it and the value to UTF-8 and allocate a binder per
/// value and execution: most of what a row cost.
/// </summary>
internal sealed class SqliteRequestLogInserter : RequestLogInserter, IRequestLogValueSink
{
    private readonly SqliteConnection _connection;
    private readonly sqlite3_stmt _insert;
    private int _column;

    private SqliteRequestLogInserter(SqliteConnection connection, sqlite3_stmt insert)
    {
        _connection = connection;
        _insert = insert;
    }

    public static async Task<RequestLogInserter> OpenAsync(string connectionString, TimeSpan commandTimeout, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using (var pragma = connection.CreateCommand())
            {
                // Statements run here outside Microsoft.Data.Sqlite's retry loop, so SQLite itself
                // waits out a lock (the hourly cleanup's). In WAL mode, NORMAL syncs at checkpoints
                // rather than at every commit: the file stays consistent, and only a machine crash
                // can lose the last commits, as it loses the rows still buffered in memory.
                pragma.CommandText = $"PRAGMA busy_timeout = {(long)commandTimeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL";
                await pragma.ExecuteNonQueryAsync(cancellationToken);
            }

            var db = connection.Handle!;
            var rc = raw.sqlite3_prepare_v2(db, RequestLogSchema.InsertSql, out var insert);
            SqliteException.ThrowExceptionForRC(rc, db);
            return new SqliteRequestLogInserter(connection, insert);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public override Task InsertAsync(IReadOnlyList<RequestLogRow> rows, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var transaction = _connection.BeginTransaction();
        for (var i = 0; i < rows.Count; i++)
        {
            _column = 0;
            RequestLogRowValues.Write(rows[i], this);
            var rc = raw.sqlite3_step(_insert);
            raw.sqlite3_reset(_insert);
            if (rc != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
        }

        transaction.Commit();
        return Task.CompletedTask;
    }

    public override async ValueTask DisposeAsync()
    {
        _insert.Dispose();
        await _connection.DisposeAsync();
    }

    void IRequestLogValueSink.Long(long? value) => Bind(value is { } v ? raw.sqlite3_bind_int64(_insert, ++_column, v) : raw.sqlite3_bind_null(_insert, ++_column));

    void IRequestLogValueSink.Double(double? value) => Bind(value is { } v ? raw.sqlite3_bind_double(_insert, ++_column, v) : raw.sqlite3_bind_null(_insert, ++_column));

    void IRequestLogValueSink.Text(string? value) => Bind(value switch
    {
        null => raw.sqlite3_bind_null(_insert, ++_column),
        // An empty span has no address, which SQLite would take for NULL.
        "" => raw.sqlite3_bind_text(_insert, ++_column, value),
        _ => raw.sqlite3_bind_text16(_insert, ++_column, value.AsSpan()),
    });

    void IRequestLogValueSink.Bool(bool value) => Bind(raw.sqlite3_bind_int64(_insert, ++_column, value ? 1 : 0));

    private void Bind(int rc)
    {
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
    }
}
