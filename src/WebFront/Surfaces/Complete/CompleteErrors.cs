using Router.Grains.Interfaces;
using Router.WebFront.Completions;

namespace Router.WebFront.Surfaces.Complete;

/// <summary>
/// The seed's error shape: an RFC 7807 problem before the stream; once a request has started, its
/// error (a start the cluster refused included) is the stream's <c>error</c> event.
/// </summary>
internal sealed class CompleteErrors : SurfaceErrors<RequestProblem>
{
    public static readonly CompleteErrors Instance = new();

    public override RequestProblem FromProblem(RequestProblem problem) => problem;

    public override RequestProblem? FromStartError(CompletionError error) => null;

    public override RequestProblem Unreadable() => RequestProblems.Invalid("invalid_request", "The request could not be read.");

    public override RequestProblem Describe(RequestProblem error) => error;

    public override Task WriteAsync(HttpContext context, RequestProblem error, CompletionFlow? flow) => error.ToResult().ExecuteAsync(context);
}
