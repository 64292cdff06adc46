using System.Text.Json;
using Router.Grains.Interfaces;
using Router.WebFront.Completions;

namespace Router.WebFront.Surfaces.Responses;

/// <summary>An error in OpenAI's shape (<c>{"error":{"message","type","param","code"}}</c>), with the HTTP status it is sent with before a stream starts.</summary>
internal sealed record ResponsesError(int Status, string Message, string Type, string? Code, string? Param = null)
{
    public static ResponsesError Invalid(string message, string? param = null, string code = "invalid_request") =>
        new(StatusCodes.Status400BadRequest, message, "invalid_request_error", code, param);

    /// <summary>A parameter the router cannot honour: refused, never dropped.</summary>
    public static ResponsesError Unsupported(string param, string why) =>
        new(StatusCodes.Status400BadRequest, $"'{param}' is not supported by this router: {why}", "invalid_request_error", "unsupported_parameter", param);

    public static ResponsesError NotFound(string message, string? param = null) =>
        new(StatusCodes.Status404NotFound, message, "invalid_request_error", "not_found", param);

    /// <summary>A refusal before the answer (a bad user id, a missing or revoked key, a limit, the body) in OpenAI's shape.</summary>
    public static ResponsesError FromProblem(RequestProblem problem) => new(problem.Status, problem.Detail, problem.Status switch
    {
        StatusCodes.Status429TooManyRequests => "rate_limit_error",
        >= 500 => "server_error",
        _ => "invalid_request_error",
    }, problem.Code);

    /// <summary>The status and type a router error code has on this surface.</summary>
    public static ResponsesError From(CompletionError error) => error.Code switch
    {
        ErrorCodes.ModelNotFound => new(StatusCodes.Status404NotFound, error.Message, "invalid_request_error", error.Code, "model"),
        ErrorCodes.BackendRefused or ErrorCodes.NoCapableModel => new(StatusCodes.Status400BadRequest, error.Message, "invalid_request_error", error.Code),
        Auth.KeyLeases.RateLimitedCode or Auth.KeyLeases.BudgetExceededCode => new(StatusCodes.Status429TooManyRequests, error.Message, "rate_limit_error", error.Code),
        ErrorCodes.SiloUnavailable or ErrorCodes.ShuttingDown or ErrorCodes.ClassifierUnavailable or ErrorCodes.OllamaBusy
            or ErrorCodes.UpstreamBusy or ErrorCodes.StreamOverloaded => new(StatusCodes.Status503ServiceUnavailable, error.Message, "server_error", error.Code),
        ErrorCodes.OllamaTimeout or ErrorCodes.UpstreamTimeout or ErrorCodes.StreamTimeout =>
            new(StatusCodes.Status504GatewayTimeout, error.Message, "server_error", error.Code),
        _ => new(StatusCodes.Status502BadGateway, error.Message, "server_error", error.Code),
    };

    /// <summary>Writes <c>{"error":{…}}</c>.</summary>
    public void WriteTo(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteStartObject("error"u8);
        json.WriteString("message"u8, Message);
        json.WriteString("type"u8, Type);
        if (Param is null) json.WriteNull("param"u8);
        else json.WriteString("param"u8, Param);
        if (Code is null) json.WriteNull("code"u8);
        else json.WriteString("code"u8, Code);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>Answers with this error as the whole response.</summary>
    public async Task WriteAsync(HttpResponse response)
    {
        response.StatusCode = Status;
        response.ContentType = "application/json";
        using (var json = new Utf8JsonWriter(response.BodyWriter, ResponseObjectWriter.Options))
        {
            WriteTo(json);
        }

        await response.BodyWriter.FlushAsync(response.HttpContext.RequestAborted);
    }
}
