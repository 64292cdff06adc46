namespace Router.WebFront.Diagnostics;

/// <summary>Source-generated log messages of the web front.</summary>
internal static partial class WebFrontLog
{
    // Debug: the request log holds one row per request (docs/spend.md); a console line per request at
    // Information cost 2-3 % of a request's CPU, most of it waiting for the console sink's lock.
    [LoggerMessage(2001, LogLevel.Debug,
        "Request {RequestId} user {UserId} model {Model} category {Category} cache hit {CacheHit} first token {TimeToFirstTokenMs} ms total {ElapsedMs} ms outcome {Outcome}")]
    public static partial void RequestCompleted(ILogger logger, Guid requestId, string userId, string model, string? category, bool cacheHit,
        double? timeToFirstTokenMs, long elapsedMs, string outcome);

    [LoggerMessage(2002, LogLevel.Information, "Request rejected for user {UserId}: {Status} {ErrorCode}")]
    public static partial void RequestRejected(ILogger logger, string userId, int status, string errorCode);

    [LoggerMessage(2003, LogLevel.Debug, "Prompt of {RequestId}: {Prompt}")]
    public static partial void Prompt(ILogger logger, Guid requestId, string prompt);

    [LoggerMessage(2004, LogLevel.Warning, "Request {RequestId} could not be started on the cluster")]
    public static partial void StartFailed(ILogger logger, Exception exception, Guid requestId);

    [LoggerMessage(2005, LogLevel.Debug, "Cleanup of request {RequestId} failed")]
    public static partial void CleanupFailed(ILogger logger, Exception exception, Guid requestId);
}
