using System.Data;
using System.Data.Common;
using System.Text;

namespace Router.WebFront.RequestLog;

/// <summary>
/// The request log's table in a database reached through ADO.NET: migrations, batched inserts,
/// retention, and the queries of the usage API. The same SQL serves SQLite and PostgreSQL; a
/// subclass gives the connection, its schema scripts and how migrations are serialised.
/// </summary>
public abstract class RequestLogStore(TimeSpan commandTimeout)
{
    private readonly int _timeoutSeconds = (int)Math.Ceiling(commandTimeout.TotalSeconds);

    /// <summary>Each statement's limit.</summary>
    protected TimeSpan CommandTimeout => commandTimeout;

    /// <summary>For logs: which database this is (never a password).</summary>
    public abstract string Description { get; }

    protected abstract DbConnection CreateConnection();

    protected abstract IReadOnlyList<string> Migrations { get; }

    /// <summary>Serialises migrations between processes, inside <paramref name="transaction"/>.</summary>
    protected virtual Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Called after a failed operation: a pool of broken connections is dropped, for instance.</summary>
    protected virtual void OnFailure(DbConnection connection)
    {
    }

    /// <summary>Applies the migrations this database lacks; safe from several processes at once.</summary>
    public Task MigrateAsync(CancellationToken cancellationToken) => RunAsync(async (connection, token) =>
    {
        await using var transaction = await connection.BeginTransactionAsync(token);
        await LockForMigrationAsync(connection, transaction, token);
        await ExecuteAsync(connection, transaction, RequestLogSchema.MigrationsTable, token);
        var applied = Convert.ToInt32(await ScalarAsync(connection, transaction, "SELECT COALESCE(MAX(version), 0) FROM request_log_migrations", token));
        for (var version = applied + 1; version <= Migrations.Count; version++)
        {
            await ExecuteAsync(connection, transaction, Migrations[version - 1], token);
            await using var record = Command(connection, transaction, "INSERT INTO request_log_migrations (version, applied_ms) VALUES (@v, @t)");
            Add(record, "v", version);
            Add(record, "t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            await record.ExecuteNonQueryAsync(token);
        }

        await transaction.CommitAsync(token);
    }, cancellationToken);

    /// <summary>A connection of the writer's own, its insert prepared, kept across batches.</summary>
    public abstract Task<RequestLogInserter> OpenInserterAsync(CancellationToken cancellationToken);

    /// <summary>Writes <paramref name="rows"/> in one transaction, all or none, on a connection of their own.</summary>
    public async Task InsertAsync(IReadOnlyList<RequestLogRow> rows, CancellationToken cancellationToken)
    {
        await using var inserter = await OpenInserterAsync(cancellationToken);
        await inserter.InsertAsync(rows, cancellationToken);
    }

    /// <summary>Deletes rows older than <paramref name="beforeMs"/>; returns how many.</summary>
    public Task<int> DeleteOlderThanAsync(long beforeMs, CancellationToken cancellationToken) => RunAsync(async (connection, token) =>
    {
        await using var command = Command(connection, null, "DELETE FROM request_log WHERE time_ms < @before");
        Add(command, "before", beforeMs);
        return await command.ExecuteNonQueryAsync(token);
    }, cancellationToken);

    /// <summary>Sums of the rows in the window, by <see cref="UsageQuery.GroupBy"/>, in the group's order.</summary>
    public Task<IReadOnlyList<UsageGroup>> UsageAsync(UsageQuery query, CancellationToken cancellationToken) => RunAsync(async (connection, token) =>
    {
        var group = RequestLogSchema.GroupExpression(query.GroupBy);
        var where = new StringBuilder("time_ms >= @from AND time_ms < @to");
        if (query.KeyId is not null) where.Append(" AND key_id = @key");
        if (query.UserId is not null) where.Append(" AND user_id = @user");

        void Bind(DbCommand command)
        {
            Add(command, "from", query.FromMs);
            Add(command, "to", query.ToMs);
            if (query.KeyId is not null) Add(command, "key", query.KeyId);
            if (query.UserId is not null) Add(command, "user", query.UserId);
        }

        var sums = new List<(object? Group, long Requests, long Prompt, long Output, long CostE10, long Errors)>();
        await using (var command = Command(connection, null,
            $"SELECT {group} AS g, COUNT(*), COALESCE(SUM(prompt_tokens), 0), COALESCE(SUM(output_tokens), 0), COALESCE(SUM(cost_e10), 0), " +
            $"SUM(CASE WHEN error_code IS NULL THEN 0 ELSE 1 END) FROM request_log WHERE {where} GROUP BY {group} ORDER BY {group}"))
        {
            Bind(command);
            await using var reader = await command.ExecuteReaderAsync(token);
            while (await reader.ReadAsync(token))
            {
                sums.Add((reader.IsDBNull(0) ? null : reader.GetValue(0), Convert.ToInt64(reader.GetValue(1)), Convert.ToInt64(reader.GetValue(2)),
                    Convert.ToInt64(reader.GetValue(3)), Convert.ToInt64(reader.GetValue(4)), Convert.ToInt64(reader.GetValue(5))));
            }
        }

        // Percentiles the same way on both databases (SQLite has no percentile function): from the
        // window's first-token times, read in order.
        var ttfts = new Dictionary<string, List<double>>();
        await using (var command = Command(connection, null,
            $"SELECT {group} AS g, ttft_ms FROM request_log WHERE {where} AND ttft_ms IS NOT NULL ORDER BY {group}, ttft_ms"))
        {
            Bind(command);
            await using var reader = await command.ExecuteReaderAsync(token);
            while (await reader.ReadAsync(token))
            {
                var key = KeyOf(reader.IsDBNull(0) ? null : reader.GetValue(0));
                if (!ttfts.TryGetValue(key, out var list)) ttfts[key] = list = [];
                list.Add(reader.GetDouble(1));
            }
        }

        return (IReadOnlyList<UsageGroup>)sums.Select(s =>
        {
            ttfts.TryGetValue(KeyOf(s.Group), out var times);
            return new UsageGroup(GroupName(query.GroupBy, s.Group), s.Requests, s.Prompt, s.Output, s.CostE10 / RequestLogSchema.CostScale, s.Errors,
                Percentile(times, 0.50), Percentile(times, 0.95));
        }).ToList();
    }, cancellationToken);

    /// <summary>A page of rows, newest first; one more than <see cref="RequestQuery.Limit"/> is read to know if another page follows.</summary>
    public Task<IReadOnlyList<StoredRequest>> RequestsAsync(RequestQuery query, CancellationToken cancellationToken) => RunAsync(async (connection, token) =>
    {
        var where = new StringBuilder("time_ms >= @from AND time_ms < @to");
        await using var command = Command(connection, null, "");
        Add(command, "from", query.FromMs);
        Add(command, "to", query.ToMs);
        void Filter(string column, string? value)
        {
            if (value is null) return;
            where.Append($" AND {column} = @{column}");
            Add(command, column, value);
        }

        Filter("key_id", query.KeyId);
        Filter("user_id", query.UserId);
        Filter("model", query.Model);
        Filter("outcome", query.Outcome);
        if (query.Cursor is { } cursor)
        {
            where.Append(" AND (time_ms < @ct OR (time_ms = @ct AND id < @ci))");
            Add(command, "ct", cursor.TimeMs);
            Add(command, "ci", cursor.Id);
        }

        command.CommandText = $"SELECT id, {string.Join(", ", RequestLogSchema.Columns)} FROM request_log WHERE {where} ORDER BY time_ms DESC, id DESC LIMIT {query.Limit + 1}";
        var rows = new List<StoredRequest>();
        await using var reader = await command.ExecuteReaderAsync(token);
        while (await reader.ReadAsync(token)) rows.Add(new StoredRequest(reader.GetInt64(0), Read(reader)));
        return (IReadOnlyList<StoredRequest>)rows;
    }, cancellationToken);

    private async Task<T> RunAsync<T>(Func<DbConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = CreateConnection();
        try
        {
            await connection.OpenAsync(cancellationToken);
            return await work(connection, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            OnFailure(connection);
            throw;
        }
    }

    private Task RunAsync(Func<DbConnection, CancellationToken, Task> work, CancellationToken cancellationToken) =>
        RunAsync<bool>(async (connection, token) =>
        {
            await work(connection, token);
            return true;
        }, cancellationToken);

    private DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = _timeoutSeconds;
        return command;
    }

    private async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken token)
    {
        await using var command = Command(connection, transaction, sql);
        await command.ExecuteNonQueryAsync(token);
    }

    private async Task<object?> ScalarAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken token)
    {
        await using var command = Command(connection, transaction, sql);
        return await command.ExecuteScalarAsync(token);
    }

    protected static void Add(DbCommand command, string name, object? value)
    {
        var p = command.CreateParameter();
        p.ParameterName = "@" + name;
        p.Value = value ?? DBNull.Value;
        command.Parameters.Add(p);
    }

    private static RequestLogRow Read(DbDataReader r)
    {
        string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        long? L(int i) => r.IsDBNull(i) ? null : Convert.ToInt64(r.GetValue(i));
        double? D(int i) => r.IsDBNull(i) ? null : Convert.ToDouble(r.GetValue(i));
        return new RequestLogRow(
            Convert.ToInt64(r.GetValue(1)), r.GetString(2), r.GetString(3), S(4), S(5), S(6), S(7), S(8), D(9), S(10),
            S(11), L(12), L(13), L(14), Convert.ToInt64(r.GetValue(15)) / RequestLogSchema.CostScale, Convert.ToBoolean(r.GetValue(16)), r.GetString(17), D(18),
            Convert.ToInt64(r.GetValue(19)), r.GetString(20), S(21), r.GetString(22), S(23), S(24), S(25), S(26));
    }

    private static string KeyOf(object? group) => group is null ? "\0null" : Convert.ToString(group, System.Globalization.CultureInfo.InvariantCulture)!;

    private static string? GroupName(UsageGrouping grouping, object? group) => grouping switch
    {
        UsageGrouping.Day => DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(group) * 86_400_000).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        UsageGrouping.Hour => DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(group) * 3_600_000).ToString("yyyy-MM-dd'T'HH':00:00Z'", System.Globalization.CultureInfo.InvariantCulture),
        _ => group as string,
    };

    /// <summary>Linear interpolation between the closest ranks (PostgreSQL's <c>percentile_cont</c>); <paramref name="sorted"/> is in order.</summary>
    internal static double? Percentile(List<double>? sorted, double fraction)
    {
        if (sorted is not { Count: > 0 }) return null;
        var rank = fraction * (sorted.Count - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }
}
