using System.IO.Pipelines;
using System.Text.Json;
using Router.OllamaSimulator.Wire;

namespace Router.OllamaSimulator.Generation;

/// <summary>Ollama's framing: NDJSON lines, a final <c>done</c> object, errors as <c>{"error":"..."}</c>.</summary>
internal sealed class OllamaDialect : IWireDialect
{
    public static readonly OllamaDialect Instance = new();

    public string StreamContentType => "application/x-ndjson";

    public string MidStreamError => OllamaErrors.MidStream;

    public IAnswerWriter CreateWriter(PipeWriter pipe, SimulatedRequest request) => new OllamaLineWriter(pipe, request.Model, request.Endpoint, request.Script ?? AnswerScript.Plain(0, "stop"));

    public string ModelNotFound(string model) => OllamaErrors.ModelNotFound(model);

    public string ForStatus(int status) => OllamaErrors.ForStatus(status);

    public async Task WriteErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = GenerationHandler.JsonContentType;
        await JsonSerializer.SerializeAsync(context.Response.Body, new ErrorBody(message), SimulatorJsonContext.Default.ErrorBody, context.RequestAborted);
    }
}
