using Microsoft.AspNetCore.Diagnostics;

namespace Router.WebFront.Hosting;

/// <summary>
/// The last line: an exception no endpoint handled becomes a problem body with a request id the
/// client can quote and the log carries, instead of an empty 500. Its text stays in the log; it may
/// name hosts, paths or data the client has no business seeing.
/// </summary>
internal sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public const string RequestIdHeader = "X-Request-Id";

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var requestId = Guid.NewGuid();
        var (status, code, title, detail) = exception is BadHttpRequestException bad
            ? (bad.StatusCode, "bad_request", "Bad request", "The request could not be read.")
            : (StatusCodes.Status500InternalServerError, "internal_error", "Internal error",
                "The router failed while handling this request; quote the request id when reporting it.");
        if (status >= 500)
        {
            LogUnhandled(logger, exception, requestId, context.Request.Method, context.Request.Path.Value ?? "/");
        }
        else
        {
            LogBadRequest(logger, requestId, status, exception.Message);
        }

        context.Response.StatusCode = status;
        context.Response.Headers[RequestIdHeader] = requestId.ToString();
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails =
            {
                Status = status,
                Title = title,
                Detail = detail,
                Type = $"https://router.local/problems/{code}",
                Extensions = { ["code"] = code, ["request_id"] = requestId.ToString() },
            },
        });
    }

    [LoggerMessage(2401, LogLevel.Error, "Request {RequestId} ({Method} {Path}) failed with an unhandled exception")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, Guid requestId, string method, string path);

    [LoggerMessage(2402, LogLevel.Information, "Request {RequestId} could not be read: {Status} {Reason}")]
    private static partial void LogBadRequest(ILogger logger, Guid requestId, int status, string reason);
}
