using System.Text.Json;
using Router.Grains.Interfaces;

namespace Router.WebFront.Surfaces.Embeddings;

/// <summary>The two wire APIs of embeddings: OpenAI's <c>/v1/embeddings</c> and Ollama's <c>/api/embed</c>.</summary>
internal enum EmbeddingsWire
{
    OpenAi,
    Ollama,
}

/// <summary>A refusal before the backend is asked: status, machine code, message, and the parameter at fault.</summary>
internal sealed record EmbeddingsError(int Status, string Code, string Message, string? Param = null)
{
    public static EmbeddingsError Invalid(string param, string message) => new(StatusCodes.Status400BadRequest, "invalid_request", message, param);
}

/// <summary>A read request: what the client named and what goes to the grain, or what is wrong with it.</summary>
internal sealed record EmbeddingsRequest(string Model, IReadOnlyList<string> Inputs, bool Base64, int? Dimensions, bool? Truncate, string? KeepAlive, string? OptionsJson);

/// <summary>Reads both wires' bodies; every field either reaches the backend or is refused with a 400 naming it.</summary>
internal static class EmbeddingsRequestReader
{
    private static readonly HashSet<string> OpenAiFields = ["model", "input", "encoding_format", "dimensions", "user"];

    public static (EmbeddingsRequest?, EmbeddingsError?) Read(JsonElement root, EmbeddingsWire wire)
    {
        if (root.ValueKind != JsonValueKind.Object) return (null, EmbeddingsError.Invalid("body", "The body must be a JSON object."));
        // OpenAI refuses a parameter it does not know; Ollama ignores one, as the router's Ollama surface does
        // (OllamaSharp, for one, sends its CustomHeaders in the body).
        if (wire == EmbeddingsWire.OpenAi)
        {
            foreach (var property in root.EnumerateObject())
            {
                if (!OpenAiFields.Contains(property.Name)) return (null, EmbeddingsError.Invalid(property.Name, $"'{property.Name}' is not a parameter of this endpoint."));
            }
        }

        if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(model.GetString()))
        {
            return (null, EmbeddingsError.Invalid("model", "'model' is required: a model name."));
        }

        var (inputs, inputError) = ReadInputs(root);
        if (inputError is not null) return (null, inputError);

        var base64 = false;
        if (wire == EmbeddingsWire.OpenAi && root.TryGetProperty("encoding_format", out var format) && format.ValueKind != JsonValueKind.Null)
        {
            if (format.ValueKind != JsonValueKind.String || format.GetString() is not ("float" or "base64"))
            {
                return (null, EmbeddingsError.Invalid("encoding_format", "'encoding_format' must be \"float\" or \"base64\"."));
            }

            base64 = format.GetString() == "base64";
        }

        int? dimensions = null;
        if (root.TryGetProperty("dimensions", out var dims) && dims.ValueKind != JsonValueKind.Null)
        {
            if (dims.ValueKind != JsonValueKind.Number || !dims.TryGetInt32(out var d) || d < 1)
            {
                return (null, EmbeddingsError.Invalid("dimensions", "'dimensions' must be a positive integer."));
            }

            dimensions = d;
        }

        if (wire == EmbeddingsWire.OpenAi && root.TryGetProperty("user", out var user) && user.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
        {
            return (null, EmbeddingsError.Invalid("user", "'user' must be a string."));
        }

        bool? truncate = null;
        if (root.TryGetProperty("truncate", out var cut) && cut.ValueKind != JsonValueKind.Null)
        {
            if (cut.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) return (null, EmbeddingsError.Invalid("truncate", "'truncate' must be true or false."));
            truncate = cut.GetBoolean();
        }

        string? keepAlive = null;
        if (root.TryGetProperty("keep_alive", out var keep) && keep.ValueKind != JsonValueKind.Null)
        {
            keepAlive = keep.ValueKind switch
            {
                JsonValueKind.String => keep.GetString(),
                // Ollama reads a bare number as seconds; OllamaSharp sends a string, so say so.
                JsonValueKind.Number => keep.GetRawText() + "s",
                _ => null,
            };
            if (keepAlive is null) return (null, EmbeddingsError.Invalid("keep_alive", "'keep_alive' must be a duration string (\"5m\") or a number of seconds."));
        }

        string? options = null;
        if (root.TryGetProperty("options", out var opts) && opts.ValueKind != JsonValueKind.Null)
        {
            if (opts.ValueKind != JsonValueKind.Object) return (null, EmbeddingsError.Invalid("options", "'options' must be an object."));
            options = opts.GetRawText();
        }

        return (new EmbeddingsRequest(model.GetString()!, inputs!, base64, dimensions, truncate, keepAlive, options), null);
    }

    private static (IReadOnlyList<string>?, EmbeddingsError?) ReadInputs(JsonElement root)
    {
        const string Expected = "'input' must be a string or an array of strings (token arrays are not accepted).";
        if (!root.TryGetProperty("input", out var input)) return (null, EmbeddingsError.Invalid("input", "'input' is required."));
        if (input.ValueKind == JsonValueKind.String) return ([input.GetString()!], null);
        if (input.ValueKind != JsonValueKind.Array) return (null, EmbeddingsError.Invalid("input", Expected));
        var texts = new List<string>(input.GetArrayLength());
        foreach (var item in input.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String) return (null, EmbeddingsError.Invalid("input", Expected));
            texts.Add(item.GetString()!);
        }

        return texts.Count == 0 ? (null, EmbeddingsError.Invalid("input", "'input' must not be empty.")) : (texts, null);
    }

    /// <summary>A rough count for the key's token reservation before the backend has counted: about four characters a token.</summary>
    public static int EstimateTokens(IReadOnlyList<string> inputs) => Math.Max(1, inputs.Sum(i => i.Length / 4 + 1));

    /// <summary>What the grain is asked.</summary>
    public static EmbeddingRequest ToGrain(this EmbeddingsRequest request, string model) =>
        new(model, request.Inputs, request.Dimensions, request.Truncate, request.KeepAlive, request.OptionsJson);
}
