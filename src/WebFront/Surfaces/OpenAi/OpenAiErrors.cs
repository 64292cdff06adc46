using Router.WebFront.Completions;

namespace Router.WebFront.Surfaces.OpenAi;

/// <summary>OpenAI's error shape for the chat completions surface (<see cref="OpenAiError"/>).</summary>
internal sealed class OpenAiErrors : SurfaceErrors<OpenAiError>
{
    public static readonly OpenAiErrors Instance = new();

    public override OpenAiError FromProblem(RequestProblem problem) => OpenAiError.FromProblem(problem);

    public override OpenAiError FromStartError(Grains.Interfaces.CompletionError error) => OpenAiError.From(error);

    // A malformed user id is the client's request to change, as any other invalid request.
    public override OpenAiError FromIdentity(RequestProblem? problem) =>
        problem is null or { Status: 400 } ? OpenAiError.Invalid(problem?.Detail ?? "Invalid user id.") : OpenAiError.FromProblem(problem);

    public override OpenAiError Unreadable() => OpenAiError.Invalid("The request could not be read.");

    public override RequestProblem Describe(OpenAiError error) => new(error.Status, error.Code ?? error.Type, error.Type, error.Message);

    public override Task WriteAsync(HttpContext context, OpenAiError error, CompletionFlow? flow) => OpenAiEndpoints.WriteErrorAsync(context.Response, error);
}
