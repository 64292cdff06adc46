using System.Text.Json;
using Router.Grains.Interfaces;
using Router.WebFront.Completions;

namespace Router.WebFront.Surfaces.Anthropic;

/// <summary>
/// An error in Anthropic's shape (<c>{"type":"error","error":{"type","message"},"request_id"}</c>), with
/// the HTTP status it is sent with before a stream starts, and the router's own code for metrics.
/// </summary>
internal sealed record AnthropicError(int Status, string Type, string Message, string Code)
{
    public const int Overloaded = 529;

    public static AnthropicError Invalid(string message, string code = "invalid_request") =>
        new(StatusCodes.Status400BadRequest, "invalid_request_error", message, code);

    /// <summary>A refusal before the answer (a bad body, a missing or revoked key, a limit, a stopping router).</summary>
    public static AnthropicError FromProblem(RequestProblem problem) => problem.Status switch
    {
        StatusCodes.Status401Unauthorized => new(401, "authentication_error", problem.Detail, problem.Code),
        StatusCodes.Status403Forbidden => new(403, "permission_error", problem.Detail, problem.Code),
        StatusCodes.Status404NotFound => new(404, "not_found_error", problem.Detail, problem.Code),
        StatusCodes.Status413PayloadTooLarge => new(413, "request_too_large", problem.Detail, problem.Code),
        StatusCodes.Status429TooManyRequests => new(429, "rate_limit_error", problem.Detail, problem.Code),
        StatusCodes.Status503ServiceUnavailable => new(Overloaded, "overloaded_error", problem.Detail, problem.Code),
        >= 500 => new(500, "api_error", problem.Detail, problem.Code),
        // Anthropic uses invalid_request_error for the 4xx statuses it has no type of its own for (408, 415).
        _ => new(problem.Status, "invalid_request_error", problem.Detail, problem.Code),
    };

    /// <summary>The status and type a router error code has on this surface.</summary>
    public static AnthropicError From(CompletionError error) => error.Code switch
    {
        ErrorCodes.ModelNotFound => new(404, "not_found_error", error.Message, error.Code),
        ErrorCodes.BackendRefused or ErrorCodes.NoCapableModel => new(400, "invalid_request_error", error.Message, error.Code),
        Auth.KeyLeases.RateLimitedCode or Auth.KeyLeases.BudgetExceededCode => new(429, "rate_limit_error", error.Message, error.Code),
        ErrorCodes.SiloUnavailable or ErrorCodes.ShuttingDown or ErrorCodes.ClassifierUnavailable or ErrorCodes.OllamaBusy
            or ErrorCodes.UpstreamBusy or ErrorCodes.OllamaUnavailable or ErrorCodes.UpstreamUnavailable or ErrorCodes.StreamOverloaded =>
            new(Overloaded, "overloaded_error", error.Message, error.Code),
        ErrorCodes.OllamaTimeout or ErrorCodes.UpstreamTimeout or ErrorCodes.StreamTimeout => new(504, "timeout_error", error.Message, error.Code),
        _ => new(500, "api_error", error.Message, error.Code),
    };

    /// <summary>Writes <c>{"type":"error","error":{…},"request_id"}</c>.</summary>
    public void WriteTo(Utf8JsonWriter json, string? requestId)
    {
        json.WriteStartObject();
        json.WriteString("type", "error");
        json.WriteStartObject("error");
        json.WriteString("type", Type);
        json.WriteString("message", Message);
        json.WriteEndObject();
        if (requestId is not null) json.WriteString("request_id", requestId);
        json.WriteEndObject();
    }

    /// <summary>Sends the error as the whole response.</summary>
    public async Task WriteAsync(HttpResponse response, string? requestId)
    {
        response.StatusCode = Status;
        response.ContentType = "application/json";
        if (requestId is not null) response.Headers["request-id"] = requestId;
        using (var json = new Utf8JsonWriter(response.BodyWriter, AnthropicJson.Options))
        {
            WriteTo(json, requestId);
        }

        await response.BodyWriter.FlushAsync(response.HttpContext.RequestAborted);
    }
}
