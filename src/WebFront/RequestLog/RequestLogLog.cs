namespace Router.WebFront.RequestLog;

/// <summary>Source-generated log messages of the request log.</summary>
internal static partial class RequestLogLog
{
    [LoggerMessage(2801, LogLevel.Information, "Request log on {Database}: schema ready, rows kept {RetentionDays} days")]
    public static partial void Ready(ILogger logger, string database, double retentionDays);

    [LoggerMessage(2802, LogLevel.Warning, "Request log: {Database} is unreachable or failing; rows wait in the buffer (up to {BufferSize}) and are retried")]
    public static partial void WriteFailed(ILogger logger, Exception exception, string database, int bufferSize);

    [LoggerMessage(2803, LogLevel.Warning, "Request log: buffer full, rows are being dropped until {Database} takes writes again")]
    public static partial void Dropping(ILogger logger, string database);

    [LoggerMessage(2804, LogLevel.Warning, "Request log: {Database} takes writes again; {Dropped} rows were dropped meanwhile")]
    public static partial void Recovered(ILogger logger, string database, long dropped);

    [LoggerMessage(2805, LogLevel.Information, "Request log: {Deleted} rows older than {RetentionDays} days deleted")]
    public static partial void Expired(ILogger logger, int deleted, double retentionDays);

    [LoggerMessage(2806, LogLevel.Warning, "Request log: cleanup of old rows failed; it is tried again later")]
    public static partial void CleanupFailed(ILogger logger, Exception exception);

    [LoggerMessage(2807, LogLevel.Warning, "Request log: {Rows} buffered rows could not be written before the web front stopped")]
    public static partial void LostAtStop(ILogger logger, int rows);

    [LoggerMessage(2808, LogLevel.Warning, "Request log: {Database} is not reachable yet; its schema is applied as soon as it is")]
    public static partial void MigrationWaiting(ILogger logger, Exception exception, string database);

    [LoggerMessage(2809, LogLevel.Warning, "Request log: a usage query failed")]
    public static partial void ReadFailed(ILogger logger, Exception exception);

    [LoggerMessage(2810, LogLevel.Debug, "Request log: closing the writer's connection failed")]
    public static partial void CloseFailed(ILogger logger, Exception exception);
}
