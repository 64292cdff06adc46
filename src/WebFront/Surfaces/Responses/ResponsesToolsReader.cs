using System.Text.Json;
using Router.Grains.Interfaces;
using static Router.WebFront.Surfaces.Responses.JsonFields;

namespace Router.WebFront.Surfaces.Responses;

/// <summary>Reads <c>tools</c> (functions only), <c>tool_choice</c> and <c>text.format</c>.</summary>
internal static class ResponsesToolsReader
{
    private static readonly HashSet<string> FunctionFields = ["type", "name", "description", "parameters", "strict"];
    private static readonly HashSet<string> TextFields = ["format", "verbosity"];

    public static List<ToolDefinition>? Tools(JsonElement root)
    {
        if (Array(root, "tools", "tools") is not { } tools) return null;
        var result = new List<ToolDefinition>();
        var index = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            var path = $"tools[{index++}]";
            if (tool.ValueKind != JsonValueKind.Object) throw Invalid(path, $"'{path}' must be an object.");
            var type = RequiredString(tool, "type", path + ".type");
            if (type != "function") throw Unsupported(path + ".type", $"tools of type '{type}' (the router runs no hosted tools; offer functions).");
            OnlyKnown(tool, path + ".", FunctionFields);
            var name = RequiredString(tool, "name", path + ".name");
            if (name.Length > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                throw Invalid(path + ".name", $"'{path}.name' must be 1 to 64 letters, digits, underscores or dashes.");
            }

            var parameters = Object(tool, "parameters", path + ".parameters");
            result.Add(new ToolDefinition(name, String(tool, "description", path + ".description"), parameters?.GetRawText(), Bool(tool, "strict", path + ".strict")));
        }

        return result.Count > 0 ? result : null;
    }

    public static ToolChoice? Choice(JsonElement root, IReadOnlyList<ToolDefinition>? tools)
    {
        if (Optional(root, "tool_choice", "tool_choice") is not { } choice) return null;
        ToolChoice result;
        if (choice.ValueKind == JsonValueKind.String)
        {
            result = choice.GetString() switch
            {
                "auto" => new ToolChoice(ToolChoice.Auto),
                "none" => new ToolChoice(ToolChoice.None),
                "required" => new ToolChoice(ToolChoice.Required),
                _ => throw Invalid("tool_choice", "'tool_choice' must be auto, none, required or a function."),
            };
        }
        else if (choice.ValueKind == JsonValueKind.Object)
        {
            var type = RequiredString(choice, "type", "tool_choice.type");
            if (type != "function") throw Unsupported("tool_choice.type", $"a tool choice of type '{type}' (choose a function, or auto, none, required).");
            var name = RequiredString(choice, "name", "tool_choice.name");
            if (tools?.Any(t => t.Name == name) != true) throw Invalid("tool_choice.name", $"'tool_choice.name' names '{name}', which is not among 'tools'.");
            result = new ToolChoice(ToolChoice.Function, name);
        }
        else
        {
            throw Invalid("tool_choice", "'tool_choice' must be a string or an object.");
        }

        if (result.Mode is ToolChoice.Required or ToolChoice.Function && tools is null)
        {
            throw Invalid("tool_choice", "'tool_choice' requires a tool call, but no 'tools' were offered.");
        }

        return result;
    }

    /// <summary><c>text.format</c>: free text (null), any JSON object, or a JSON schema. <c>text.verbosity</c> other than the default is refused.</summary>
    public static OutputFormat? Format(JsonElement root)
    {
        if (Object(root, "text", "text") is not { } text) return null;
        OnlyKnown(text, "text.", TextFields);
        var verbosity = String(text, "verbosity", "text.verbosity");
        if (verbosity is not null and not "medium") throw Unsupported("text.verbosity", "a verbosity other than medium (local models have no such control).");
        if (Object(text, "format", "text.format") is not { } format) return null;
        var type = RequiredString(format, "type", "text.format.type");
        switch (type)
        {
            case "text":
                return null;
            case "json_object":
                return new OutputFormat(OutputFormat.Json);
            case "json_schema":
                var schema = Object(format, "schema", "text.format.schema") ?? throw Invalid("text.format.schema", "'text.format.schema' is required (a JSON schema object).");
                return new OutputFormat(OutputFormat.JsonSchema, schema.GetRawText(), RequiredString(format, "name", "text.format.name"),
                    String(format, "description", "text.format.description"), Bool(format, "strict", "text.format.strict"));
            default:
                throw Invalid("text.format.type", "'text.format.type' must be text, json_object or json_schema.");
        }
    }
}
