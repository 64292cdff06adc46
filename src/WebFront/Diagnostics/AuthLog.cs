namespace Router.WebFront.Diagnostics;

/// <summary>Source-generated log messages of authentication and limits. A key itself is never logged.</summary>
internal static partial class AuthLog
{
    [LoggerMessage(2701, LogLevel.Warning,
        "Auth:Mode is Open: anyone who can reach this router is trusted, and the X-User-Id header names the user. Set Auth:Mode=Keys to require API keys")]
    public static partial void OpenMode(ILogger logger);

    [LoggerMessage(2702, LogLevel.Information, "Auth:Mode is Keys: every request needs an API key; the admin API is at /admin/keys")]
    public static partial void KeysMode(ILogger logger);

    [LoggerMessage(2703, LogLevel.Debug, "Request refused: API key {Reason}")]
    public static partial void KeyRefused(ILogger logger, string reason);

    [LoggerMessage(2704, LogLevel.Warning, "An API key could not be resolved: the cluster did not answer")]
    public static partial void KeyLookupFailed(ILogger logger, Exception exception);

    [LoggerMessage(2705, LogLevel.Information, "Request of key {KeyId} refused: limit {Limit} reached, retry after {RetryAfterSeconds} s")]
    public static partial void RateLimited(ILogger logger, string keyId, string limit, int retryAfterSeconds);

    [LoggerMessage(2706, LogLevel.Warning, "The lease of key {KeyId} could not be released; it expires on its own")]
    public static partial void ReleaseFailed(ILogger logger, Exception exception, string keyId);

    [LoggerMessage(2707, LogLevel.Warning, "Admission under the limits of key {KeyId} failed: the cluster did not answer")]
    public static partial void AcquireFailed(ILogger logger, Exception exception, string keyId);

    [LoggerMessage(2709, LogLevel.Warning, "Admin API refused a request from {ClientAddress}: {Reason}")]
    public static partial void AdminRefused(ILogger logger, string reason, string clientAddress);
}
