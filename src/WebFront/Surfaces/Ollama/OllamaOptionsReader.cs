using System.Text.Json;
using Router.Grains.Interfaces;
using Router.WebFront.Completions;

namespace Router.WebFront.Surfaces.Ollama;

/// <summary>
/// Maps Ollama's <c>options</c> object to <see cref="GenerationSettings"/>. Options the router does
/// not pass on (num_ctx, mirostat, …) are accepted and ignored, as Ollama ignores what a model lacks.
/// </summary>
internal static class OllamaOptionsReader
{
    public static (GenerationSettings?, RequestProblem?) Read(JsonElement root)
    {
        if (!root.TryGetProperty("options", out var options) || options.ValueKind == JsonValueKind.Null) return (null, null);
        if (options.ValueKind != JsonValueKind.Object) return (null, Invalid("The 'options' field must be an object."));

        float? temperature = null, topP = null;
        int? maxTokens = null;
        long? seed = null;
        IReadOnlyList<string>? stop = null;
        foreach (var option in options.EnumerateObject())
        {
            var value = option.Value;
            if (value.ValueKind == JsonValueKind.Null) continue;
            bool ok;
            switch (option.Name)
            {
                case "temperature": ok = TryFloat(value, out temperature); break;
                case "top_p": ok = TryFloat(value, out topP); break;
                case "num_predict":
                    ok = TryLong(value, out var n) && n is >= int.MinValue and <= int.MaxValue;
                    // Ollama's -1 (no limit) and -2 (fill the context) both mean: no cap from the client.
                    maxTokens = ok && n > 0 ? (int)n : null;
                    break;
                case "seed":
                    ok = TryLong(value, out var s);
                    seed = ok ? s : null;
                    break;
                case "stop": ok = TryStop(value, out stop); break;
                default: ok = true; break;
            }

            if (!ok) return (null, Invalid($"The option '{option.Name}' has a value of the wrong type."));
        }

        var settings = new GenerationSettings(temperature, topP, maxTokens, stop, seed);
        return (settings == new GenerationSettings() ? null : settings, null);
    }

    // TryGetInt64 throws on a string; a wrong type must be a 400, not a 500.
    private static bool TryLong(JsonElement value, out long result)
    {
        result = 0;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out result);
    }

    private static bool TryFloat(JsonElement value, out float? result)
    {
        result = null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var d) || !double.IsFinite(d)) return false;
        result = (float)d;
        return true;
    }

    private static bool TryStop(JsonElement value, out IReadOnlyList<string>? stop)
    {
        stop = null;
        if (value.ValueKind == JsonValueKind.String)
        {
            stop = [value.GetString()!];
            return true;
        }

        if (value.ValueKind != JsonValueKind.Array) return false;
        var list = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String) return false;
            list.Add(item.GetString()!);
        }

        stop = list.Count > 0 ? list : null;
        return true;
    }

    private static RequestProblem Invalid(string detail) => OllamaRequestReader.Invalid("invalid_options", detail);
}
