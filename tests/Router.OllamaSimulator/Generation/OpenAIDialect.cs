using System.IO.Pipelines;
using System.Text.Json;

namespace Router.OllamaSimulator.Generation;

/// <summary>
/// OpenAI's framing: server-sent events of <c>chat.completion.chunk</c> objects ending with
/// <c>data: [DONE]</c>, errors as <c>{"error":{"message","type","param","code"}}</c> with the status
/// OpenAI uses. One instance per request, since whether usage is streamed is the client's choice.
/// </summary>
internal sealed class OpenAIDialect(bool includeUsage) : IWireDialect
{
    public string StreamContentType => "text/event-stream";

    public string MidStreamError => "The server had an error while processing your request. Sorry about that!";

    public IAnswerWriter CreateWriter(PipeWriter pipe, SimulatedRequest request) => new OpenAIEventWriter(pipe, request, includeUsage);

    public string ModelNotFound(string model) => $"The model `{model}` does not exist or you do not have access to it.";

    public string ForStatus(int status) => status switch
    {
        400 => "Invalid request.",
        401 => InvalidKey,
        404 => "Not found.",
        429 => "Rate limit reached for requests. Please try again later.",
        500 => MidStreamError,
        503 => "The server is overloaded or not ready yet.",
        _ => $"Simulated error (status {status}).",
    };

    public const string InvalidKey = "Incorrect API key provided. You can find your API key in your account settings.";

    public async Task WriteErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = GenerationHandler.JsonContentType;
        var (type, code) = Classify(status, message);
        await using (var json = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            WriteErrorObject(json, message, type, code);
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    internal static void WriteErrorObject(Utf8JsonWriter json, string message, string type, string? code)
    {
        json.WriteStartObject();
        json.WriteStartObject("error");
        json.WriteString("message", message);
        json.WriteString("type", type);
        json.WriteNull("param");
        if (code is null) json.WriteNull("code");
        else json.WriteString("code", code);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>OpenAI's <c>type</c> and <c>code</c> for a status, as its API words them.</summary>
    private static (string Type, string? Code) Classify(int status, string message) => status switch
    {
        401 => ("invalid_request_error", "invalid_api_key"),
        404 when message.StartsWith("The model", StringComparison.Ordinal) => ("invalid_request_error", "model_not_found"),
        429 => ("requests", "rate_limit_exceeded"),
        >= 500 => ("server_error", null),
        _ => ("invalid_request_error", null),
    };
}
