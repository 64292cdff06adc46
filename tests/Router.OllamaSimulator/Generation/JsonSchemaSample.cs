using System.Text;
using System.Text.Json;

namespace Router.OllamaSimulator.Generation;

/// <summary>
/// A small JSON value that fits a JSON schema, for tool-call arguments and structured answers: an object
/// with its <c>required</c> properties only (optional ones stay unset, as a model may leave them), strings <c>"value"</c> (or the first
/// <c>enum</c> value, or <c>const</c>), integers <c>1</c>, numbers <c>1.5</c>, booleans <c>true</c>, arrays of one item.
/// </summary>
internal static class JsonSchemaSample
{
    private const int MaxDepth = 8;

    /// <summary>The sample as compact JSON text; an empty object for a missing or unreadable schema.</summary>
    public static string For(string? schemaJson)
    {
        if (string.IsNullOrWhiteSpace(schemaJson))
        {
            return "{}";
        }

        using var schema = JsonDocument.Parse(schemaJson);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, schema.RootElement, 0);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Write(Utf8JsonWriter writer, JsonElement schema, int depth)
    {
        if (schema.ValueKind != JsonValueKind.Object || depth > MaxDepth)
        {
            writer.WriteStringValue("value");
            return;
        }

        if (schema.TryGetProperty("const", out var constant))
        {
            constant.WriteTo(writer);
            return;
        }

        if (schema.TryGetProperty("enum", out var values) && values.ValueKind == JsonValueKind.Array && values.GetArrayLength() > 0)
        {
            values[0].WriteTo(writer);
            return;
        }

        switch (TypeOf(schema))
        {
            case "object":
                writer.WriteStartObject();
                foreach (var (name, property) in RequiredProperties(schema))
                {
                    writer.WritePropertyName(name);
                    Write(writer, property, depth + 1);
                }

                writer.WriteEndObject();
                break;
            case "array":
                writer.WriteStartArray();
                Write(writer, schema.TryGetProperty("items", out var items) ? items : default, depth + 1);
                writer.WriteEndArray();
                break;
            case "integer":
                writer.WriteNumberValue(1);
                break;
            case "number":
                writer.WriteNumberValue(1.5);
                break;
            case "boolean":
                writer.WriteBooleanValue(true);
                break;
            case "null":
                writer.WriteNullValue();
                break;
            default:
                writer.WriteStringValue("value");
                break;
        }
    }

    /// <summary><c>type</c> may be a string or an array such as <c>["string","null"]</c>; an object schema may omit it.</summary>
    private static string? TypeOf(JsonElement schema)
    {
        if (schema.TryGetProperty("type", out var type))
        {
            if (type.ValueKind == JsonValueKind.String) return type.GetString();
            if (type.ValueKind == JsonValueKind.Array)
            {
                return type.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()).FirstOrDefault(t => t != "null") ?? "null";
            }
        }

        return schema.TryGetProperty("properties", out _) ? "object" : null;
    }

    private static IEnumerable<(string Name, JsonElement Schema)> RequiredProperties(JsonElement schema)
    {
        if (!schema.TryGetProperty("required", out var required) || required.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        var properties = schema.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        foreach (var name in required.EnumerateArray().Where(n => n.ValueKind == JsonValueKind.String).Select(n => n.GetString()!))
        {
            yield return (name, properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(name, out var s) ? s : default);
        }
    }
}
