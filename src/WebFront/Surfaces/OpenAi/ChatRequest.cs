using Router.Grains.Interfaces;
using Router.WebFront.Completions;

namespace Router.WebFront.Surfaces.OpenAi;

/// <summary>A <c>POST /v1/chat/completions</c> body, as far as the router uses it.</summary>
/// <param name="Model">The model asked for; <c>auto</c> routes through the classifier.</param>
/// <param name="Message">The last user message (what the classifier routes on).</param>
/// <param name="Context">Every message before it, oldest first.</param>
internal sealed record ChatRequest(
    string Model,
    string Message,
    IReadOnlyList<ChatTurn> Context,
    bool Stream,
    bool IncludeUsage,
    GenerationSettings? Settings)
{
    public const string AutoModel = "auto";

    /// <summary>The model for the core: null lets the classifier choose.</summary>
    public string? NamedModel => string.Equals(Model, AutoModel, StringComparison.OrdinalIgnoreCase) ? null : Model;
}

/// <summary>An error in OpenAI's shape, with the HTTP status it is sent with before a stream starts.</summary>
internal sealed record OpenAiError(int Status, string Message, string Type, string? Code, string? Param = null)
{
    public static OpenAiError Invalid(string message, string? param = null) =>
        new(StatusCodes.Status400BadRequest, message, "invalid_request_error", "invalid_request", param);

    /// <summary>A refusal before the answer (a bad user id, a missing or revoked key, a limit) in OpenAI's shape.</summary>
    public static OpenAiError FromProblem(RequestProblem problem) => new(problem.Status, problem.Detail, problem.Status switch
    {
        StatusCodes.Status401Unauthorized => "invalid_request_error",
        StatusCodes.Status429TooManyRequests => "rate_limit_error",
        >= 500 => "server_error",
        _ => "invalid_request_error",
    }, problem.Code);

    /// <summary>The status and type a router error code has on this surface.</summary>
    public static OpenAiError From(CompletionError error) => error.Code switch
    {
        ErrorCodes.ModelNotFound => new(StatusCodes.Status404NotFound, error.Message, "invalid_request_error", "model_not_found", "model"),
        ErrorCodes.SiloUnavailable or ErrorCodes.ShuttingDown or ErrorCodes.ClassifierUnavailable or ErrorCodes.OllamaBusy =>
            new(StatusCodes.Status503ServiceUnavailable, error.Message, "server_error", error.Code),
        ErrorCodes.OllamaTimeout or ErrorCodes.StreamTimeout => new(StatusCodes.Status504GatewayTimeout, error.Message, "server_error", error.Code),
        _ => new(StatusCodes.Status502BadGateway, error.Message, "server_error", error.Code),
    };
}
