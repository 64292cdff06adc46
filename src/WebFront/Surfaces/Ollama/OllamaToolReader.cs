using System.Text.Json;
using Router.Grains.Interfaces;
using Router.WebFront.Completions;

namespace Router.WebFront.Surfaces.Ollama;

/// <summary>Ollama's <c>tools</c> (function definitions) and <c>format</c> (<c>"json"</c> or a JSON schema).</summary>
internal static class OllamaToolReader
{
    /// <summary><c>[{"type": "function", "function": {"name", "description", "parameters"}}]</c>; null when none are offered.</summary>
    public static (IReadOnlyList<ToolDefinition>?, RequestProblem?) ReadTools(JsonElement root)
    {
        if (!root.TryGetProperty("tools", out var tools) || tools.ValueKind == JsonValueKind.Null) return (null, null);
        if (tools.ValueKind != JsonValueKind.Array) return (null, Invalid("'tools' must be an array of {\"type\": \"function\", \"function\": {…}} objects."));

        var definitions = new List<ToolDefinition>(tools.GetArrayLength());
        var i = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            var at = $"tools[{i++}]";
            if (tool.ValueKind != JsonValueKind.Object) return (null, Invalid($"'{at}' must be an object."));
            if (!OllamaRequestReader.TryString(tool, "type", out var type) || type is not (null or "function"))
            {
                return (null, Invalid($"'{at}.type' must be \"function\"."));
            }

            if (!tool.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object)
            {
                return (null, Invalid($"'{at}.function' must be an object with a 'name'."));
            }

            if (!OllamaRequestReader.TryString(function, "name", out var name) || string.IsNullOrWhiteSpace(name))
            {
                return (null, Invalid($"'{at}.function.name' must be a non-empty string."));
            }

            if (!OllamaRequestReader.TryString(function, "description", out var description))
            {
                return (null, Invalid($"'{at}.function.description' must be a string."));
            }

            string? parameters = null;
            if (function.TryGetProperty("parameters", out var schema) && schema.ValueKind != JsonValueKind.Null)
            {
                if (schema.ValueKind != JsonValueKind.Object) return (null, Invalid($"'{at}.function.parameters' must be a JSON schema object."));
                parameters = schema.GetRawText();
            }

            definitions.Add(new ToolDefinition(name, description, parameters));
        }

        return (definitions.Count > 0 ? definitions : null, null);
    }

    /// <summary><c>"json"</c>, a JSON schema object, or nothing (absent, null or <c>""</c>, as Ollama takes them).</summary>
    public static (OutputFormat?, RequestProblem?) ReadFormat(JsonElement root)
    {
        if (!root.TryGetProperty("format", out var format)) return (null, null);
        return format.ValueKind switch
        {
            JsonValueKind.Null => (null, null),
            JsonValueKind.String when format.ValueEquals("") => (null, null),
            JsonValueKind.String when format.ValueEquals(OutputFormat.Json) => (new OutputFormat(OutputFormat.Json), null),
            JsonValueKind.Object => (new OutputFormat(OutputFormat.JsonSchema, format.GetRawText()), null),
            _ => (null, OllamaRequestReader.Invalid("invalid_format", "'format' must be \"json\" or a JSON schema object.")),
        };
    }

    private static RequestProblem Invalid(string detail) => OllamaRequestReader.Invalid("invalid_tools", detail);
}
