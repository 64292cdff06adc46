using System.Diagnostics;
using Router.Grains.Interfaces;
using Router.WebFront.Diagnostics;

namespace Router.WebFront.Completions;

/// <summary>The problems a request can have before its stream starts (one place for their codes and wording), and how a refusal is logged and counted.</summary>
public static class RequestProblems
{
    public static readonly RequestProblem ShuttingDown = new(StatusCodes.Status503ServiceUnavailable, ErrorCodes.ShuttingDown,
        "Shutting down", "This router front end is shutting down; please retry on another.");

    public static readonly RequestProblem ClusterUnavailable = new(StatusCodes.Status503ServiceUnavailable, ErrorCodes.SiloUnavailable,
        "Router unavailable", "The router's cluster cannot take requests right now.");

    public static readonly RequestProblem ResumeNotFound = new(StatusCodes.Status404NotFound, "stream_not_found", "Not found",
        "No answer with this id can be resumed for this user (unknown, or its resume window is over).");

    public static RequestProblem Invalid(string code, string detail) => new(StatusCodes.Status400BadRequest, code, "Invalid request", detail);

    public static RequestProblem UnsupportedMediaType() => new(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type",
        "Unsupported media type", "The body must be JSON (Content-Type: application/json).");

    public static RequestProblem BodyTooLarge(int max) =>
        new(StatusCodes.Status413PayloadTooLarge, "body_too_large", "Body too large", $"The request body is larger than {max} bytes.");

    /// <summary>The body did not arrive within <paramref name="timeout"/>, or (null) arrived slower than the server's minimum rate.</summary>
    public static RequestProblem BodyTimeout(TimeSpan? timeout) => new(StatusCodes.Status408RequestTimeout, "body_timeout", "Request timeout",
        timeout is { } t ? $"The request body did not arrive within {t.TotalSeconds:0.#} s." : "The request body arrived too slowly.");

    public static RequestProblem BodyUnreadable() =>
        Invalid("body_unreadable", "The request body could not be read (its framing is broken).");

    /// <summary>
    /// Logs and counts a refusal a surface writes in its own shape; its request-log row names the key
    /// when the caller's key is known (a limit or a budget refused it, or its body was bad).
    /// </summary>
    public static void Count(CompletionCore core, ILogger logger, string userId, string? keyId, RequestProblem problem, long started)
    {
        WebFrontLog.RequestRejected(logger, userId, problem.Status, problem.Code);
        core.Instruments.RequestEnded("", "rejected", problem.Code, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        core.Accounting.Rejected(userId == "?" ? null : userId, keyId, problem, started);
    }
}
