using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Router.WebFront.RequestLog;

/// <summary>
/// The request log in an embedded SQLite file, for the embedded default: no server to run, one file
/// per web front. Write-ahead logging lets the usage API read while the writer writes.
/// </summary>
public sealed class SqliteRequestLogStore : RequestLogStore
{
    private readonly string _connectionString;

    public SqliteRequestLogStore(string path, TimeSpan commandTimeout) : base(commandTimeout)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = (int)Math.Ceiling(commandTimeout.TotalSeconds),
        }.ToString();
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var wal = connection.CreateCommand();
        wal.CommandText = "PRAGMA journal_mode=WAL";
        wal.ExecuteNonQuery();
    }

    public string Path { get; }

    public override string Description => $"SQLite {Path}";

    protected override IReadOnlyList<string> Migrations => RequestLogSchema.Sqlite;

    protected override DbConnection CreateConnection() => new SqliteConnection(_connectionString);

    public override Task<RequestLogInserter> OpenInserterAsync(CancellationToken cancellationToken) =>
        SqliteRequestLogInserter.OpenAsync(_connectionString, CommandTimeout, cancellationToken);
}
