namespace Router.WebFront.Surfaces.Ollama;

/// <summary>Source-generated log messages of the Ollama-compatible surface.</summary>
internal static partial class OllamaLog
{
    [LoggerMessage(2601, LogLevel.Warning, "Relaying the Ollama answer of request {RequestId} failed")]
    public static partial void RelayFailed(ILogger logger, Exception exception, Guid requestId);
}
