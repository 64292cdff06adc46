using System.Diagnostics;
using Router.WebFront.Auth;

namespace Router.WebFront.Completions;

/// <summary>
/// The admission every generating surface runs, in one order: who is calling, whether this web
/// front still takes requests, (the surface reads its body), the start on the cluster with the
/// key's limits, the routing headers. Each refusal is counted and logged, then written in the
/// surface's own shape (<see cref="SurfaceErrors{TError}"/>).
/// </summary>
public sealed class SurfaceAdmission<TError> where TError : class
{
    private readonly HttpContext _context;
    private readonly CompletionCore _core;
    private readonly SurfaceErrors<TError> _errors;
    private readonly ILogger _logger;

    private SurfaceAdmission(HttpContext context, CompletionCore core, SurfaceErrors<TError> errors, ILogger logger, long started, string userId, string? keyId)
    {
        Started = started;
        _context = context;
        _core = core;
        _errors = errors;
        _logger = logger;
        UserId = userId;
        KeyId = keyId;
    }

    /// <summary>When the request arrived (a <see cref="Stopwatch"/> timestamp).</summary>
    public long Started { get; }

    public string UserId { get; }

    public string? KeyId { get; }

    /// <summary>
    /// Identifies the caller and checks the web front is not draining. Null when the request was
    /// refused (and answered).
    /// </summary>
    public static async Task<SurfaceAdmission<TError>?> BeginAsync(HttpContext context, SurfaceErrors<TError> errors, ILogger logger)
    {
        var started = Stopwatch.GetTimestamp();
        var core = context.RequestServices.GetRequiredService<CompletionCore>();
        var identity = context.RequestServices.GetRequiredService<RequestIdentity>();
        var (userId, keyId, problem) = await identity.ResolveAsync(context.Request);
        if (problem is not null || userId is null)
        {
            await RejectAsync(context, core, errors, logger, "?", keyId, errors.FromIdentity(problem), started);
            return null;
        }

        var admission = new SurfaceAdmission<TError>(context, core, errors, logger, started, userId, keyId);
        if (core.IsDraining)
        {
            await admission.RejectAsync(errors.FromProblem(RequestProblems.ShuttingDown));
            return null;
        }

        return admission;
    }

    /// <summary>Refuses the request with <paramref name="error"/> (null: the reader gave no reason).</summary>
    public Task RejectAsync(TError? error) => RejectAsync(_context, _core, _errors, _logger, UserId, KeyId, error ?? _errors.Unreadable(), Started);

    /// <summary>
    /// Starts <paramref name="command"/> and writes the routing headers. Null when the request was
    /// refused or could not start (and was answered); otherwise the flow to answer from, which the
    /// caller disposes (stopping the generation if the client left before its end).
    /// </summary>
    public async Task<CompletionFlow?> StartAsync(CompletionCommand command)
    {
        var flow = await _core.StartAsync(command, Started, _context.RequestAborted);
        if (flow is null)
        {
            await RejectAsync(_errors.FromProblem(RequestProblems.ClusterUnavailable));
            return null;
        }

        if (flow.Refusal is { } refusal)
        {
            RateLimitHeaders.Write(_context.Response, refusal.Decision);
            await RejectAsync(_errors.FromProblem(refusal.Problem!));
            return null;
        }

        RoutingHeaders.Write(_context.Response, flow);
        _errors.OnStarted(_context.Response, flow);
        if (flow.Ticket.Error is { } startError && _errors.FromStartError(startError) is { } error)
        {
            await using (flow)
            {
                await _errors.WriteAsync(_context, error, flow);
            }

            return null;
        }

        return flow;
    }

    private static async Task RejectAsync(HttpContext context, CompletionCore core, SurfaceErrors<TError> errors, ILogger logger, string userId, string? keyId, TError error, long started)
    {
        RequestProblems.Count(core, logger, userId, keyId, errors.Describe(error), started);
        await errors.WriteAsync(context, error, null);
    }
}

/// <summary>Starts a <see cref="SurfaceAdmission{TError}"/> with the error type inferred.</summary>
public static class SurfaceAdmission
{
    public static Task<SurfaceAdmission<TError>?> BeginAsync<TError>(HttpContext context, SurfaceErrors<TError> errors, ILogger logger) where TError : class =>
        SurfaceAdmission<TError>.BeginAsync(context, errors, logger);
}
