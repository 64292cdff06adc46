using Microsoft.Extensions.Logging;

namespace Router.Grains.Diagnostics;

/// <summary>Source-generated log messages of the silo side.</summary>
internal static partial class GrainsLog
{
    [LoggerMessage(1002, LogLevel.Debug, "Generation {RequestId} for user {UserId} started on {Model}")]
    public static partial void GenerationStarted(ILogger logger, Guid requestId, string userId, string model);

    [LoggerMessage(1003, LogLevel.Debug, "Generation {RequestId} ended: {Outcome} after {ElapsedMs} ms, {Chunks} chunks; first token from the backend at {FirstTokenMs} ms, first chunk published at {FirstChunkMs} ms")]
    public static partial void GenerationEnded(ILogger logger, Guid requestId, string outcome, long elapsedMs, int chunks, double? firstTokenMs, double? firstChunkMs);

    // The client's error event names no backend; the log line does, for the operator.
    [LoggerMessage(1004, LogLevel.Warning, "Generation {RequestId} on {Model} failed with {ErrorCode} (Ollama at {BackendUrl})")]
    public static partial void GenerationFailed(ILogger logger, Exception exception, Guid requestId, string model, string errorCode, string backendUrl);

    [LoggerMessage(1005, LogLevel.Warning, "Could not record the outcome of {RequestId} for user {UserId}")]
    public static partial void OutcomeNotRecorded(ILogger logger, Exception exception, Guid requestId, string userId);

    [LoggerMessage(1006, LogLevel.Error, "Could not publish the terminal item of {RequestId}; the web front's idle timeout will end it")]
    public static partial void TerminalNotPublished(ILogger logger, Exception exception, Guid requestId);

    [LoggerMessage(1401, LogLevel.Information, "API key {KeyId} created for user {UserId}")]
    public static partial void KeyCreated(ILogger logger, string keyId, string userId);

    [LoggerMessage(1402, LogLevel.Information, "API key {KeyId} revoked")]
    public static partial void KeyRevoked(ILogger logger, string keyId);

    [LoggerMessage(1403, LogLevel.Warning, "The day's token count of API key {KeyId} could not be saved")]
    public static partial void KeyUsageNotSaved(ILogger logger, Exception exception, string keyId);

    [LoggerMessage(1007, LogLevel.Warning, "The key lease of {RequestId} could not be settled; its key keeps the reservation until the lease times out")]
    public static partial void LeaseNotSettled(ILogger logger, Exception exception, Guid requestId);

    [LoggerMessage(1008, LogLevel.Information, "Generation {RequestId} reached its {Cap} cap and was ended with finish reason length")]
    public static partial void OutputCapped(ILogger logger, Guid requestId, string cap);
}
