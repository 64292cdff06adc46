using Router.Grains.Interfaces;
using Router.WebFront.Completions;

namespace Router.WebFront.Surfaces.OpenAi;

/// <summary>An error in OpenAI's shape, with the HTTP status it is sent with before a stream starts.</summary>
internal sealed record OpenAiError(int Status, string Message, string Type, string? Code, string? Param = null)
{
    public static OpenAiError Invalid(string message, string? param = null, string code = "invalid_request") =>
        new(StatusCodes.Status400BadRequest, message, "invalid_request_error", code, param);

    /// <summary>A parameter the router cannot honour: refused rather than dropped.</summary>
    public static OpenAiError Unsupported(string param, string message) => Invalid(message, param, "unsupported_parameter");

    /// <summary>A value out of range or not among the allowed ones.</summary>
    public static OpenAiError InvalidValue(string param, string message) => Invalid(message, param, "invalid_value");

    /// <summary>A value of the wrong JSON type.</summary>
    public static OpenAiError InvalidType(string param, string expected) => Invalid($"'{param}' must be {expected}.", param, "invalid_type");

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
        ErrorCodes.BackendRefused => new(StatusCodes.Status400BadRequest, error.Message, "invalid_request_error", ErrorCodes.BackendRefused),
        ErrorCodes.NoCapableModel => new(StatusCodes.Status400BadRequest, error.Message, "invalid_request_error", ErrorCodes.NoCapableModel, "model"),
        Auth.KeyLeases.RateLimitedCode or Auth.KeyLeases.BudgetExceededCode => new(StatusCodes.Status429TooManyRequests, error.Message, "rate_limit_error", error.Code),
        ErrorCodes.SiloUnavailable or ErrorCodes.ShuttingDown or ErrorCodes.ClassifierUnavailable or ErrorCodes.OllamaBusy or ErrorCodes.UpstreamBusy =>
            new(StatusCodes.Status503ServiceUnavailable, error.Message, "server_error", error.Code),
        ErrorCodes.OllamaTimeout or ErrorCodes.UpstreamTimeout or ErrorCodes.StreamTimeout => new(StatusCodes.Status504GatewayTimeout, error.Message, "server_error", error.Code),
        _ => new(StatusCodes.Status502BadGateway, error.Message, "server_error", error.Code),
    };
}
