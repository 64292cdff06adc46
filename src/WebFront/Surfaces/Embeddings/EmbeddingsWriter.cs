using System.Buffers.Binary;
using System.Text.Json;
using Router.Grains.Interfaces;
using Router.WebFront.Completions;

namespace Router.WebFront.Surfaces.Embeddings;

/// <summary>Writes vectors and errors in each wire's shape.</summary>
internal static class EmbeddingsWriter
{
    /// <summary>The status a router error code has on both wires.</summary>
    public static EmbeddingsError From(CompletionError error) => new(error.Code switch
    {
        ErrorCodes.ModelNotFound => StatusCodes.Status404NotFound,
        ErrorCodes.BackendRefused => StatusCodes.Status400BadRequest,
        ErrorCodes.OllamaUnavailable or ErrorCodes.OllamaBusy or ErrorCodes.UpstreamUnavailable or ErrorCodes.UpstreamBusy
            or ErrorCodes.SiloUnavailable or ErrorCodes.ShuttingDown => StatusCodes.Status503ServiceUnavailable,
        ErrorCodes.OllamaTimeout or ErrorCodes.UpstreamTimeout => StatusCodes.Status504GatewayTimeout,
        _ => StatusCodes.Status502BadGateway,
    }, error.Code, error.Message, error.Code == ErrorCodes.ModelNotFound ? "model" : null);

    public static EmbeddingsError From(RequestProblem problem) => new(problem.Status, problem.Code, problem.Detail);

    public static async Task ErrorAsync(HttpResponse response, EmbeddingsWire wire, EmbeddingsError error)
    {
        response.StatusCode = error.Status;
        response.ContentType = "application/json";
        await using (var json = new Utf8JsonWriter(response.BodyWriter))
        {
            json.WriteStartObject();
            if (wire == EmbeddingsWire.Ollama)
            {
                json.WriteString("error", error.Message);
            }
            else
            {
                json.WriteStartObject("error");
                json.WriteString("message", error.Message);
                json.WriteString("type", error.Status switch
                {
                    StatusCodes.Status429TooManyRequests => "rate_limit_error",
                    >= 500 => "server_error",
                    _ => "invalid_request_error",
                });
                json.WriteString("param", error.Param);
                json.WriteString("code", error.Code);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        await response.BodyWriter.FlushAsync(response.HttpContext.RequestAborted);
    }

    public static async Task VectorsAsync(HttpResponse response, EmbeddingsWire wire, EmbeddingsRequest request, string model, EmbeddingResult result, TimeSpan elapsed)
    {
        response.ContentType = "application/json";
        var tokens = result.PromptTokens ?? 0;
        await using (var json = new Utf8JsonWriter(response.BodyWriter))
        {
            json.WriteStartObject();
            if (wire == EmbeddingsWire.Ollama)
            {
                json.WriteString("model", model);
                json.WriteStartArray("embeddings");
                foreach (var vector in result.Vectors) WriteFloats(json, vector);
                json.WriteEndArray();
                json.WriteNumber("total_duration", (long)(elapsed.TotalMilliseconds * 1_000_000));
                json.WriteNumber("prompt_eval_count", tokens);
            }
            else
            {
                json.WriteString("object", "list");
                json.WriteStartArray("data");
                for (var i = 0; i < result.Vectors.Count; i++)
                {
                    json.WriteStartObject();
                    json.WriteString("object", "embedding");
                    json.WriteNumber("index", i);
                    json.WritePropertyName("embedding");
                    if (request.Base64) json.WriteBase64StringValue(LittleEndianBytes(result.Vectors[i]));
                    else WriteFloats(json, result.Vectors[i]);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteString("model", model);
                json.WriteStartObject("usage");
                json.WriteNumber("prompt_tokens", tokens);
                json.WriteNumber("total_tokens", tokens);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        await response.BodyWriter.FlushAsync(response.HttpContext.RequestAborted);
    }

    private static void WriteFloats(Utf8JsonWriter json, float[] vector)
    {
        json.WriteStartArray();
        foreach (var value in vector) json.WriteNumberValue(value);
        json.WriteEndArray();
    }

    /// <summary>OpenAI's base64 encoding: the float32 values' little-endian bytes.</summary>
    private static byte[] LittleEndianBytes(float[] vector)
    {
        var bytes = new byte[vector.Length * sizeof(float)];
        for (var i = 0; i < vector.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vector[i]);
        return bytes;
    }
}
