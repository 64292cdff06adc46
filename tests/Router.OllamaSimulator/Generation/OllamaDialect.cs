using System.IO.Pipelines;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Router.OllamaSimulator.Generation;

/// <summary>Ollama's framing: NDJSON lines, a final <c>done</c> object, errors as <c>{"error":"..."}</c>.</summary>
internal sealed class OllamaDialect : IWireDialect
{
    public static readonly OllamaDialect Instance = new();

    public string StreamContentType => "application/x-ndjson";

    public string MidStreamError => OllamaErrors.MidStream;

    public IAnswerWriter CreateWriter(PipeWriter pipe, SimulatedRequest request) => new OllamaLineWriter(pipe, request.Model, request.Endpoint, request.Script ?? AnswerScript.Plain(0, "stop"))
    {
        OmitUsage = request.Directives.OmitUsage,
    };

    public string ModelNotFound(string model) => OllamaErrors.ModelNotFound(model);

    public string ForStatus(int status) => OllamaErrors.ForStatus(status);

    public async Task WriteErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = GenerationHandler.JsonContentType;
        // Go's encoder writes a quote as \" where System.Text.Json's default writes \u0022; clients comparing texts see Ollama's form.
        await using (var json = new Utf8JsonWriter(context.Response.BodyWriter, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("error", message);
            json.WriteEndObject();
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }
}
