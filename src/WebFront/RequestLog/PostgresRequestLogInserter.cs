using Npgsql;
using NpgsqlTypes;

namespace Router.WebFront.RequestLog;

/// <summary>
/// Loads a batch into PostgreSQL with one binary <c>COPY</c>: the rows stream in one round trip and
/// commit together, instead of a round trip per row. A row's values are first taken into reused
/// typed slots (<see cref="IRequestLogValueSink"/> is synchronous), then written without boxing.
/// </summary>
internal sealed class PostgresRequestLogInserter(NpgsqlConnection connection, TimeSpan commandTimeout) : RequestLogInserter, IRequestLogValueSink
{
    private enum Kind : byte { Null, Long, Double, Text, Bool }

    private readonly Kind[] _kinds = new Kind[RequestLogSchema.Columns.Length];
    private readonly long[] _longs = new long[RequestLogSchema.Columns.Length];
    private readonly double[] _doubles = new double[RequestLogSchema.Columns.Length];
    private readonly string?[] _texts = new string?[RequestLogSchema.Columns.Length];
    private int _column;

    public static async Task<RequestLogInserter> OpenAsync(string connectionString, TimeSpan commandTimeout, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return new PostgresRequestLogInserter(connection, commandTimeout);
        }
        catch
        {
            NpgsqlConnection.ClearPool(connection);
            await connection.DisposeAsync();
            throw;
        }
    }

    public override async Task InsertAsync(IReadOnlyList<RequestLogRow> rows, CancellationToken cancellationToken)
    {
        try
        {
            await CopyAsync(rows, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // After a restart of the server every pooled connection is dead: the next try opens fresh ones.
            NpgsqlConnection.ClearPool(connection);
            throw;
        }
        finally
        {
            Array.Clear(_texts);
        }
    }

    private async Task CopyAsync(IReadOnlyList<RequestLogRow> rows, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync(RequestLogSchema.CopySql, cancellationToken);
        importer.Timeout = commandTimeout;
        for (var i = 0; i < rows.Count; i++)
        {
            _column = 0;
            RequestLogRowValues.Write(rows[i], this);
            await importer.StartRowAsync(cancellationToken);
            for (var c = 0; c < _column; c++)
            {
                switch (_kinds[c])
                {
                    case Kind.Long: await importer.WriteAsync(_longs[c], NpgsqlDbType.Bigint, cancellationToken); break;
                    case Kind.Double: await importer.WriteAsync(_doubles[c], NpgsqlDbType.Double, cancellationToken); break;
                    case Kind.Bool: await importer.WriteAsync(_longs[c] != 0, NpgsqlDbType.Boolean, cancellationToken); break;
                    case Kind.Text: await importer.WriteAsync(_texts[c]!, NpgsqlDbType.Text, cancellationToken); break;
                    default: await importer.WriteNullAsync(cancellationToken); break;
                }
            }
        }

        await importer.CompleteAsync(cancellationToken);
    }

    public override ValueTask DisposeAsync() => connection.DisposeAsync();

    void IRequestLogValueSink.Long(long? value)
    {
        if (value is { } v) _longs[_column] = v;
        _kinds[_column++] = value is null ? Kind.Null : Kind.Long;
    }

    void IRequestLogValueSink.Double(double? value)
    {
        if (value is { } v) _doubles[_column] = v;
        _kinds[_column++] = value is null ? Kind.Null : Kind.Double;
    }

    void IRequestLogValueSink.Text(string? value)
    {
        _texts[_column] = value;
        _kinds[_column++] = value is null ? Kind.Null : Kind.Text;
    }

    void IRequestLogValueSink.Bool(bool value)
    {
        _longs[_column] = value ? 1 : 0;
        _kinds[_column++] = Kind.Bool;
    }
}
