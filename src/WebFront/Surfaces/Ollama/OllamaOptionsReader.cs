using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Router.Grains.Interfaces;
using Router.WebFront.Completions;

namespace Router.WebFront.Surfaces.Ollama;

/// <summary>
/// Maps Ollama's <c>options</c>, <c>think</c> and <c>keep_alive</c> to <see cref="GenerationSettings"/>.
/// Every option reaches the backend: the common ones as typed settings (which upstream backends read
/// too), the rest as <see cref="GenerationSettings.BackendOptions"/> with their values normalised to
/// the type the backend's client reads. A name the router cannot pass on, a value of the wrong type or
/// out of range is a 400 naming the option.
/// </summary>
internal static partial class OllamaOptionsReader
{
    public static (GenerationSettings?, RequestProblem?) Read(JsonElement root)
    {
        var settings = new GenerationSettings();
        if (root.TryGetProperty("options", out var options) && options.ValueKind != JsonValueKind.Null)
        {
            if (options.ValueKind != JsonValueKind.Object) return (null, Invalid("invalid_options", "'options' must be an object."));
            var (read, problem) = ReadOptions(options);
            if (problem is not null) return (null, problem);
            settings = read!;
        }

        if (root.TryGetProperty("think", out var think))
        {
            string? reasoning = think.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.True => "on",
                JsonValueKind.False => "off",
                JsonValueKind.String when think.GetString() is "low" or "medium" or "high" => think.GetString(),
                _ => "",
            };
            if (reasoning == "") return (null, Invalid("invalid_think", "'think' must be true, false, \"low\", \"medium\" or \"high\"."));
            settings = settings with { Reasoning = reasoning };
        }

        if (root.TryGetProperty("keep_alive", out var keepAlive))
        {
            var (duration, problem) = ReadKeepAlive(keepAlive);
            if (problem is not null) return (null, problem);
            settings = settings with { KeepAlive = duration };
        }

        return (settings == new GenerationSettings() ? null : settings, null);
    }

    private static (GenerationSettings?, RequestProblem?) ReadOptions(JsonElement options)
    {
        float? temperature = null, topP = null, frequencyPenalty = null, presencePenalty = null;
        int? maxTokens = null, topK = null;
        long? seed = null;
        IReadOnlyList<string>? stop = null;
        Dictionary<string, string>? extra = null;
        foreach (var option in options.EnumerateObject())
        {
            var name = option.Name;
            var value = option.Value;
            // Ollama skips an option set to null: the model's default stays.
            if (value.ValueKind == JsonValueKind.Null) continue;
            if (!OllamaOptionKinds.All.TryGetValue(name, out var kind))
            {
                return (null, Invalid("unsupported_option", $"The option '{name}' is not one the router can pass to the model."));
            }

            if (kind == OllamaOptionKind.Strings)
            {
                if (!TryStop(value, out stop)) return (null, WrongType(name, "a string or an array of strings"));
                continue;
            }

            if (kind == OllamaOptionKind.Boolean)
            {
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) return (null, WrongType(name, "true or false"));
                (extra ??= []).Add(name, value.ValueKind == JsonValueKind.True ? "true" : "false");
                continue;
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
            {
                return (null, WrongType(name, kind == OllamaOptionKind.Integer ? "an integer" : "a number"));
            }

            if (kind == OllamaOptionKind.Integer && (Math.Floor(number) != number || number is < int.MinValue or > int.MaxValue))
            {
                return (null, WrongType(name, "an integer within 32 bits"));
            }

            if (kind == OllamaOptionKind.Number && Math.Abs(number) > float.MaxValue)
            {
                return (null, OutOfRange(name));
            }

            if (OllamaOptionKinds.RangeOf(name) is { } range && (number < range.Min || number > range.Max))
            {
                return (null, OutOfRange(name, range));
            }

            switch (name)
            {
                case "temperature": temperature = (float)number; break;
                case "top_p": topP = (float)number; break;
                case "top_k": topK = (int)number; break;
                case "frequency_penalty": frequencyPenalty = (float)number; break;
                case "presence_penalty": presencePenalty = (float)number; break;
                case "seed": seed = (long)number; break;
                // A cap is a setting every backend reads; Ollama's -1 (no limit), -2 (fill the
                // context) and 0 mean nothing to other backends, so they travel as Ollama's own option.
                case "num_predict" when number > 0: maxTokens = (int)number; break;
                default:
                    (extra ??= []).Add(name, kind == OllamaOptionKind.Integer
                        ? ((long)number).ToString(CultureInfo.InvariantCulture)
                        : ((float)number).ToString("R", CultureInfo.InvariantCulture));
                    break;
            }
        }

        return (new GenerationSettings(temperature, topP, maxTokens, stop, seed, topK, frequencyPenalty, presencePenalty, BackendOptions: extra), null);
    }

    /// <summary>
    /// A duration as Ollama reads it: a Go duration string (<c>"5m"</c>, <c>"1h30m"</c>, <c>"-1s"</c>) or
    /// a number of seconds, passed on as a duration string (negative keeps the model loaded for good).
    /// </summary>
    private static (string?, RequestProblem?) ReadKeepAlive(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return (null, null);
            case JsonValueKind.String when GoDuration().IsMatch(value.GetString()!):
                return (value.GetString(), null);
            case JsonValueKind.Number when value.TryGetDouble(out var seconds) && double.IsFinite(seconds):
                // Beyond what a Go duration holds (about 292 years); Ollama reads any negative as "forever".
                if (seconds > 9_000_000_000) return (null, Invalid("invalid_keep_alive", "'keep_alive' is longer than a duration can be."));
                return (seconds < 0 ? "-1s" : seconds.ToString("0.#########", CultureInfo.InvariantCulture) + "s", null);
            default:
                return (null, Invalid("invalid_keep_alive", "'keep_alive' must be a duration (\"5m\", \"1h30m\", \"-1s\") or a number of seconds."));
        }
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

    // Go's time.ParseDuration: a signed sequence of decimal numbers, each with a unit; "0" alone needs none.
    [GeneratedRegex(@"^[-+]?(0|((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+)$", RegexOptions.CultureInvariant)]
    private static partial Regex GoDuration();

    private static RequestProblem WrongType(string name, string expected) =>
        Invalid("invalid_options", $"The option '{name}' must be {expected}.");

    private static RequestProblem OutOfRange(string name, (double Min, double Max)? range = null)
    {
        var detail = range switch
        {
            null => $"The option '{name}' is out of range.",
            { Max: >= int.MaxValue } r => string.Create(CultureInfo.InvariantCulture, $"The option '{name}' must be at least {r.Min}."),
            { } r => string.Create(CultureInfo.InvariantCulture, $"The option '{name}' must be between {r.Min} and {r.Max}."),
        };
        return Invalid("invalid_options", detail);
    }

    private static RequestProblem Invalid(string code, string detail) => OllamaRequestReader.Invalid(code, detail);
}
