using Router.Grains.Interfaces;

namespace Router.WebFront.Completions;

/// <summary>Writes a refusal made before a surface's answer in that surface's error shape.</summary>
/// <remarks>
/// Each API gives its endpoints one as metadata (<c>.WithMetadata(...)</c> on its route group), so
/// a middleware's refusal (<see cref="SurfaceRefusals"/>) comes out in the shape of the endpoint the
/// request was routed to, without the core or the middleware knowing any API.
/// </remarks>
public interface ISurfaceRefusals
{
    Task WriteAsync(HttpContext context, RequestProblem problem);
}

/// <summary>
/// A surface's error shape: how a refusal (<see cref="RequestProblem"/>, the core's), a start error
/// (<see cref="CompletionError"/>, the cluster's) and the surface's own reading errors become
/// <typeparamref name="TError"/>, and how one is sent. New refusals (a new limit's code) reach
/// every surface through <see cref="FromProblem"/>, which maps by status first and code second.
/// </summary>
public abstract class SurfaceErrors<TError> : ISurfaceRefusals where TError : class
{
    /// <summary>A refusal of the core's (a key, a limit, a stopping router, the body's framing) in this shape.</summary>
    public abstract TError FromProblem(RequestProblem problem);

    /// <summary>
    /// A request the cluster could not start, in this shape; null when the surface's answer carries
    /// the error itself (the seed's SSE stream sends it as its error event).
    /// </summary>
    public abstract TError? FromStartError(CompletionError error);

    /// <summary>What <paramref name="error"/> is counted and logged as.</summary>
    public abstract RequestProblem Describe(TError error);

    /// <summary>Sends <paramref name="error"/> as the whole response; <paramref name="flow"/> is the started request, if any.</summary>
    public abstract Task WriteAsync(HttpContext context, TError error, CompletionFlow? flow);

    /// <summary>The caller could not be identified (a bad user id, a missing or revoked key); <paramref name="problem"/> is null for a missing user id.</summary>
    public virtual TError FromIdentity(RequestProblem? problem) =>
        FromProblem(problem ?? RequestProblems.Invalid("invalid_user_id", "Invalid user id."));

    /// <summary>A reader gave neither a request nor an error.</summary>
    public virtual TError Unreadable() => FromProblem(RequestProblems.Invalid("invalid_request", "The request could not be read."));

    /// <summary>Headers every started answer of this surface carries (beside the routing headers).</summary>
    public virtual void OnStarted(HttpResponse response, CompletionFlow flow)
    {
    }

    Task ISurfaceRefusals.WriteAsync(HttpContext context, RequestProblem problem) => WriteAsync(context, FromProblem(problem), null);
}
