using System.Diagnostics;
using Router.Grains.Interfaces;
using Router.WebFront.Diagnostics;

namespace Router.WebFront.Completions;

/// <summary>Refusals shared by the surfaces, and how a refusal is logged and counted.</summary>
public static class RequestProblems
{
    public static readonly RequestProblem ShuttingDown = new(StatusCodes.Status503ServiceUnavailable, ErrorCodes.ShuttingDown,
        "Shutting down", "This router front end is shutting down; please retry on another.");

    public static readonly RequestProblem ClusterUnavailable = new(StatusCodes.Status503ServiceUnavailable, ErrorCodes.SiloUnavailable,
        "Router unavailable", "The router's cluster cannot take requests right now.");

    /// <summary>Logs and counts a refusal, then writes it as an RFC 7807 problem.</summary>
    public static Task RejectAsync(HttpContext context, CompletionCore core, ILogger logger, string userId, RequestProblem problem, long started)
    {
        Count(core, logger, userId, problem, started);
        return problem.ToResult().ExecuteAsync(context);
    }

    /// <summary>Logs and counts a refusal a surface writes in its own shape.</summary>
    public static void Count(CompletionCore core, ILogger logger, string userId, RequestProblem problem, long started)
    {
        WebFrontLog.RequestRejected(logger, userId, problem.Status, problem.Code);
        core.Instruments.RequestEnded("", "rejected", problem.Code, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
}
