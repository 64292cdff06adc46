using System.Globalization;
using Microsoft.Extensions.Options;
using Router.WebFront.Completions;
using Router.WebFront.Options;

namespace Router.WebFront.Hosting;

/// <summary>
/// A ceiling on the answers one web front streams at once (<c>WebFront:MaxConcurrentStreams</c>),
/// whoever asks: each holds buffers, a lane inbox and a connection, so without one a crowd of
/// clients (or one client in Open mode) grows the process without bound. Past it, a request gets
/// 503 with <c>Retry-After</c> in its surface's shape before anything else is done for it. Counted
/// around the endpoints marked <see cref="GeneratesAnswer"/> (their handler runs as long as the answer).
/// </summary>
public sealed partial class StreamCapacity(RequestDelegate next, IOptions<WebFrontOptions> options, ILogger<StreamCapacity> logger)
{
    public const string Code = "too_many_streams";
    public const int RetryAfterSeconds = 1;

    private static readonly RequestProblem Full = new(StatusCodes.Status503ServiceUnavailable, Code, "Too many streams",
        "This router front end is streaming as many answers as it may; retry shortly.");

    private readonly int _max = options.Value.MaxConcurrentStreams;
    private int _open;

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<GeneratesAnswer>() is null)
        {
            await next(context);
            return;
        }

        if (Interlocked.Increment(ref _open) > _max)
        {
            Interlocked.Decrement(ref _open);
            LogFull(logger, _max);
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            await SurfaceRefusals.WriteAsync(context, Full);
            return;
        }

        try
        {
            await next(context);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    [LoggerMessage(2602, LogLevel.Warning, "Request refused: this web front already streams its maximum of {MaxStreams} answers (WebFront:MaxConcurrentStreams)")]
    private static partial void LogFull(ILogger logger, int maxStreams);
}
