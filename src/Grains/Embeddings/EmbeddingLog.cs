using Microsoft.Extensions.Logging;

namespace Router.Grains.Embeddings;

internal static partial class EmbeddingLog
{
    [LoggerMessage(1701, LogLevel.Warning, "Embedding on {Model} failed with {ErrorCode}")]
    public static partial void Failed(ILogger logger, Exception? exception, string model, string errorCode);
}
