using System.Text.Json;
using static Router.OllamaSimulator.Requests.JsonFields;

namespace Router.OllamaSimulator.Requests;

/// <summary><c>tools</c> has the same shape in both APIs: <c>[{"type":"function","function":{"name","description","parameters"}}]</c>.</summary>
internal static class ToolReader
{
    public static IReadOnlyList<SimulatedTool> ReadTools(JsonElement root)
    {
        if (Array(root, "tools", string.Empty) is not { } tools)
        {
            return [];
        }

        var result = new List<SimulatedTool>();
        var i = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            var path = At("tools", i++);
            var function = Object(tool, "function", path) ?? throw new BadRequestException($"{path}.function is required");
            var name = String(function, "name", path + ".function");
            if (string.IsNullOrEmpty(name))
            {
                throw new BadRequestException($"{path}.function.name is required");
            }

            var parameters = TryGet(function, "parameters", out var p) ? p.GetRawText() : null;
            result.Add(new SimulatedTool(name, String(function, "description", path + ".function"), parameters, String(tool, "type", path) ?? "function"));
        }

        return result;
    }

    /// <summary>A tool call of a message: <c>{"id","type","function":{"index","name","arguments"}}</c>; arguments are an object (Ollama) or a JSON string (OpenAI).</summary>
    public static IReadOnlyList<SimulatedToolCall> ReadCalls(JsonElement message, string path)
    {
        if (Array(message, "tool_calls", path) is not { } calls)
        {
            return [];
        }

        var result = new List<SimulatedToolCall>();
        var i = 0;
        foreach (var call in calls.EnumerateArray())
        {
            var at = At(path + ".tool_calls", i++);
            var function = Object(call, "function", at) ?? throw new BadRequestException($"{at}.function is required");
            var name = String(function, "name", at + ".function") ?? throw new BadRequestException($"{at}.function.name is required");
            var arguments = !TryGet(function, "arguments", out var a) ? "{}"
                : a.ValueKind == JsonValueKind.String ? a.GetString()!
                : a.GetRawText();
            result.Add(new SimulatedToolCall(String(call, "id", at), name, arguments, Int(function, "index", at + ".function")));
        }

        return result;
    }
}
