using System.Text.Json;
using System.Text.RegularExpressions;
using Router.Grains.Interfaces;
using static Router.WebFront.Surfaces.OpenAi.ChatJson;

namespace Router.WebFront.Surfaces.OpenAi;

/// <summary>Reads <c>tools</c>, <c>tool_choice</c> and <c>response_format</c>.</summary>
internal static partial class ChatToolsReader
{
    public static List<ToolDefinition>? Tools(JsonElement tools)
    {
        if (IsAbsent(tools)) return null;
        var result = new List<ToolDefinition>(Array(tools, "tools").GetArrayLength());
        var i = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            var path = $"tools[{i++}]";
            var type = String(Member(Object(tool, path), "type"), $"{path}.type");
            if (type != "function") throw Refuse(OpenAiError.Unsupported($"{path}.type", $"Tools of type '{type}' are not supported; 'function' is."));
            OnlyKnown(tool, path, "type", "function");

            var function = Object(Member(tool, "function"), $"{path}.function");
            OnlyKnown(function, $"{path}.function", "name", "description", "parameters", "strict");
            var name = Name(Member(function, "name"), $"{path}.function.name");
            if (result.Any(t => t.Name == name)) throw Refuse(OpenAiError.InvalidValue($"{path}.function.name", $"Two tools are named '{name}'."));

            var description = Member(function, "description") is var d && !IsAbsent(d) ? String(d, $"{path}.function.description") : null;
            var parameters = Member(function, "parameters") is var p && !IsAbsent(p) ? Object(p, $"{path}.function.parameters").GetRawText() : null;
            bool? strict = Member(function, "strict") is var s && !IsAbsent(s) ? Bool(s, $"{path}.function.strict") : null;
            result.Add(new ToolDefinition(name, description, parameters, strict));
        }

        return result.Count > 0 ? result : null;
    }

    public static ToolChoice? Choice(JsonElement choice, IReadOnlyList<ToolDefinition>? tools)
    {
        if (IsAbsent(choice)) return null;
        ToolChoice result;
        if (choice.ValueKind == JsonValueKind.String)
        {
            result = choice.GetString() switch
            {
                "auto" => new ToolChoice(ToolChoice.Auto),
                "none" => new ToolChoice(ToolChoice.None),
                "required" => new ToolChoice(ToolChoice.Required),
                var other => throw Refuse(OpenAiError.InvalidValue("tool_choice", $"'tool_choice' must be auto, none, required or a function, not '{other}'.")),
            };
        }
        else
        {
            var type = String(Member(Object(choice, "tool_choice"), "type"), "tool_choice.type");
            if (type != "function") throw Refuse(OpenAiError.Unsupported("tool_choice.type", $"A tool choice of type '{type}' is not supported; 'function' is."));
            OnlyKnown(choice, "tool_choice", "type", "function");
            var function = Object(Member(choice, "function"), "tool_choice.function");
            OnlyKnown(function, "tool_choice.function", "name");
            var name = String(Member(function, "name"), "tool_choice.function.name");
            if (tools?.Any(t => t.Name == name) != true)
            {
                throw Refuse(OpenAiError.InvalidValue("tool_choice.function.name", $"'tool_choice' names '{name}', which is not among 'tools'."));
            }

            result = new ToolChoice(ToolChoice.Function, name);
        }

        if (result.Mode == ToolChoice.Required && tools is null)
        {
            throw Refuse(OpenAiError.InvalidValue("tool_choice", "'tool_choice' required needs 'tools'."));
        }

        return result;
    }

    public static OutputFormat? Format(JsonElement format)
    {
        if (IsAbsent(format)) return null;
        var type = String(Member(Object(format, "response_format"), "type"), "response_format.type");
        switch (type)
        {
            case "text":
                OnlyKnown(format, "response_format", "type");
                return null;
            case "json_object":
                OnlyKnown(format, "response_format", "type");
                return new OutputFormat(OutputFormat.Json);
            case "json_schema":
                OnlyKnown(format, "response_format", "type", "json_schema");
                var spec = Object(Member(format, "json_schema"), "response_format.json_schema");
                OnlyKnown(spec, "response_format.json_schema", "name", "description", "schema", "strict");
                var name = Name(Member(spec, "name"), "response_format.json_schema.name");
                // The backends need the schema itself: a json_schema without one cannot be honoured.
                var schema = Object(Member(spec, "schema"), "response_format.json_schema.schema").GetRawText();
                var description = Member(spec, "description") is var d && !IsAbsent(d) ? String(d, "response_format.json_schema.description") : null;
                bool? strict = Member(spec, "strict") is var s && !IsAbsent(s) ? Bool(s, "response_format.json_schema.strict") : null;
                return new OutputFormat(OutputFormat.JsonSchema, schema, name, description, strict);
            default:
                throw Refuse(OpenAiError.InvalidValue("response_format.type", $"'response_format' must be text, json_object or json_schema, not '{type}'."));
        }
    }

    /// <summary>A function or schema name as OpenAI allows it: letters, digits, underscores and dashes, at most 64.</summary>
    private static string Name(JsonElement value, string param)
    {
        var name = String(value, param);
        return NamePattern().IsMatch(name)
            ? name
            : throw Refuse(OpenAiError.InvalidValue(param, $"'{param}' must be 1 to 64 letters, digits, underscores or dashes."));
    }

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex NamePattern();
}
