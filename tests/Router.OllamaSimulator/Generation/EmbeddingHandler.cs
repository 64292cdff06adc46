using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Router.OllamaSimulator.Requests;
using Router.OllamaSimulator.Wire;
using static Router.OllamaSimulator.Requests.JsonFields;

namespace Router.OllamaSimulator.Generation;

/// <summary>
/// Ollama's <c>POST /api/embed</c> and OpenAI's <c>POST /v1/embeddings</c>: one <see cref="EmbeddingVector"/> per
/// input, journaled like a generation (inputs in <see cref="SimulatedRequestContent.Inputs"/>). The first input's
/// <c>status</c> directive and <see cref="SimulatorOptions.FailStatus"/> apply; the others are for streams.
/// </summary>
internal sealed class EmbeddingHandler(SimulatorJournal journal, SimulatorOptions options, OpenAIRequestHandler openAI)
{
    public Task HandleOllamaAsync(HttpContext context) => HandleAsync(context, SimulatedEndpoint.Embed, OllamaDialect.Instance, apiKey: null);

    public async Task HandleOpenAIAsync(HttpContext context)
    {
        var apiKey = OpenAIRequestHandler.BearerToken(context);
        var dialect = new OpenAIDialect(false);
        if (!openAI.IsAuthorized(apiKey))
        {
            await dialect.WriteErrorAsync(context, StatusCodes.Status401Unauthorized, OpenAIDialect.InvalidKey);
            return;
        }

        await HandleAsync(context, SimulatedEndpoint.Embeddings, dialect, apiKey);
    }

    private async Task HandleAsync(HttpContext context, SimulatedEndpoint endpoint, IWireDialect dialect, string? apiKey)
    {
        var started = Stopwatch.GetTimestamp();
        Embedding embedding;
        try
        {
            using var body = await RequestBody.ReadAsync(context);
            embedding = Read(body, endpoint);
        }
        catch (BadRequestException ex)
        {
            var rejected = journal.Begin(endpoint, string.Empty, null, false, SimDirectives.None, 0, apiKey: apiKey);
            journal.Finish(rejected, SimulatedOutcome.Faulted, StatusCodes.Status400BadRequest);
            await dialect.WriteErrorAsync(context, StatusCodes.Status400BadRequest, ex.Message);
            return;
        }

        var call = new SimulatedCall(endpoint, embedding.Model, embedding.Content.Inputs.FirstOrDefault(), false, embedding.Words, SimulatedParameters.None, apiKey, embedding.Content);
        var directives = SimDirectives.Parse(call.DirectiveText);
        var request = journal.Begin(endpoint, call.Model ?? string.Empty, call.DirectiveText, false, directives, call.PromptEvalCount, apiKey: apiKey, content: call.Content);
        if (Refuse(call, dialect, directives) is { } refusal)
        {
            journal.Finish(request, SimulatedOutcome.Faulted, refusal.Status);
            await dialect.WriteErrorAsync(context, refusal.Status, refusal.Message);
            return;
        }

        var model = call.Model!;
        var vectors = embedding.Content.Inputs.Select(input => EmbeddingVector.For(model, input, embedding.Dimensions ?? EmbeddingVector.DefaultDimensions)).ToList();
        context.Response.ContentType = GenerationHandler.JsonContentType;
        await using (var json = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            if (endpoint == SimulatedEndpoint.Embed) WriteOllama(json, model, vectors, embedding.Words, Stopwatch.GetElapsedTime(started));
            else WriteOpenAI(json, model, vectors, embedding.Words, embedding.Base64);
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
        journal.Finish(request, SimulatedOutcome.Completed, StatusCodes.Status200OK);
    }

    private (int Status, string Message)? Refuse(SimulatedCall call, IWireDialect dialect, SimDirectives directives)
    {
        if (options.FailStatus is { } failing) return (failing, dialect.ForStatus(failing));
        if (string.IsNullOrWhiteSpace(call.Model)) return (StatusCodes.Status400BadRequest, "model is required");
        if (!ModelCatalog.IsKnown(options, call.Model)) return (StatusCodes.Status404NotFound, dialect.ModelNotFound(call.Model));
        if (CapabilityGate.Refusal(call, ModelTraits.For(options, call.Model), call.Model) is { } refusal) return (StatusCodes.Status400BadRequest, refusal);
        if (directives.Status is { } status and not StatusCodes.Status200OK) return (status, dialect.ForStatus(status));
        return null;
    }

    private static Embedding Read(RequestBody body, SimulatedEndpoint endpoint)
    {
        var root = body.Root;
        IReadOnlyList<string> inputs = !TryGet(root, "input", out var input) ? throw new BadRequestException("input is required")
            : input.ValueKind == JsonValueKind.String ? [input.GetString()!]
            : input.ValueKind == JsonValueKind.Array && input.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String) ? [.. input.EnumerateArray().Select(e => e.GetString()!)]
            : throw new BadRequestException("input must be a string or an array of strings");
        var dimensions = Int(root, "dimensions", string.Empty);
        if (dimensions is < 1 or > 4096)
        {
            throw new BadRequestException($"dimensions must be between 1 and 4096 (was {dimensions})");
        }

        var format = endpoint == SimulatedEndpoint.Embeddings ? String(root, "encoding_format", string.Empty) : null;
        if (format is not (null or "float" or "base64"))
        {
            throw new BadRequestException($"encoding_format must be float or base64 (was {format})");
        }

        var content = new SimulatedRequestContent
        {
            Inputs = inputs,
            OptionsJson = Object(root, "options", string.Empty)?.GetRawText(),
            KeepAlive = Scalar(root, "keep_alive"),
            RawBody = body.Raw,
        };
        return new Embedding(String(root, "model", string.Empty), content, dimensions, format == "base64", inputs.Sum(SimulatedCall.CountWords));
    }

    private static void WriteOllama(Utf8JsonWriter json, string model, List<float[]> vectors, int words, TimeSpan elapsed)
    {
        json.WriteStartObject();
        json.WriteString("model", model);
        json.WriteStartArray("embeddings");
        foreach (var vector in vectors)
        {
            json.WriteStartArray();
            foreach (var v in vector) json.WriteNumberValue(v);
            json.WriteEndArray();
        }

        json.WriteEndArray();
        json.WriteNumber("total_duration", elapsed.Ticks * 100);
        json.WriteNumber("load_duration", 0);
        json.WriteNumber("prompt_eval_count", words);
        json.WriteEndObject();
    }

    /// <summary>OpenAI's list; <c>encoding_format: base64</c> (what the official .NET client asks for) sends little-endian float32 bytes.</summary>
    private static void WriteOpenAI(Utf8JsonWriter json, string model, List<float[]> vectors, int words, bool base64)
    {
        json.WriteStartObject();
        json.WriteString("object", "list");
        json.WriteStartArray("data");
        for (var i = 0; i < vectors.Count; i++)
        {
            json.WriteStartObject();
            json.WriteString("object", "embedding");
            json.WriteNumber("index", i);
            if (base64)
            {
                json.WriteBase64String("embedding", MemoryMarshal.AsBytes(vectors[i].AsSpan()));
            }
            else
            {
                json.WriteStartArray("embedding");
                foreach (var v in vectors[i]) json.WriteNumberValue(v);
                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteString("model", model);
        json.WriteStartObject("usage");
        json.WriteNumber("prompt_tokens", words);
        json.WriteNumber("total_tokens", words);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private sealed record Embedding(string? Model, SimulatedRequestContent Content, int? Dimensions, bool Base64, int Words);
}
