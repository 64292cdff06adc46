using Router.WebFront.Completions;

namespace Router.WebFront.Surfaces.Responses;

/// <summary>OpenAI's error shape for the Responses surface (<see cref="ResponsesError"/>).</summary>
internal sealed class ResponsesErrors : SurfaceErrors<ResponsesError>
{
    public static readonly ResponsesErrors Instance = new();

    public override ResponsesError FromProblem(RequestProblem problem) => ResponsesError.FromProblem(problem);

    public override ResponsesError FromStartError(Grains.Interfaces.CompletionError error) => ResponsesError.From(error);

    public override ResponsesError FromIdentity(RequestProblem? problem) =>
        problem is null ? ResponsesError.Invalid("Invalid user id.") : ResponsesError.FromProblem(problem);

    public override ResponsesError Unreadable() => ResponsesError.Invalid("The request could not be read.");

    public override RequestProblem Describe(ResponsesError error) => new(error.Status, error.Code ?? error.Type, error.Type, error.Message);

    public override Task WriteAsync(HttpContext context, ResponsesError error, CompletionFlow? flow) => error.WriteAsync(context.Response);
}
