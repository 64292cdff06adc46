using Router.WebFront.Completions;

namespace Router.WebFront.Surfaces.Anthropic;

/// <summary>Anthropic's error shape (<see cref="AnthropicError"/>); a started request's errors carry its <c>request_id</c>.</summary>
internal sealed class AnthropicErrors : SurfaceErrors<AnthropicError>
{
    public static readonly AnthropicErrors Instance = new();

    public override AnthropicError FromProblem(RequestProblem problem) => AnthropicError.FromProblem(problem);

    public override AnthropicError FromStartError(Grains.Interfaces.CompletionError error) => AnthropicError.From(error);

    public override AnthropicError FromIdentity(RequestProblem? problem) =>
        problem is null ? AnthropicError.Invalid("Invalid user id.") : AnthropicError.FromProblem(problem);

    public override AnthropicError Unreadable() => AnthropicError.Invalid("The request could not be read.");

    public override RequestProblem Describe(AnthropicError error) => new(error.Status, error.Code, error.Type, error.Message);

    public override void OnStarted(HttpResponse response, CompletionFlow flow) => response.Headers["request-id"] = AnthropicIds.Request(flow);

    public override Task WriteAsync(HttpContext context, AnthropicError error, CompletionFlow? flow) =>
        error.WriteAsync(context.Response, flow is null ? null : AnthropicIds.Request(flow));
}
