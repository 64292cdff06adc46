using System.Text.Json;

namespace Router.WebFront.Surfaces.Responses;

/// <summary>Why a request was refused while it was read: the readers throw it deep in a body and the reader's entry turns it into the answer.</summary>
internal sealed class RequestRefused(ResponsesError error) : Exception(error.Message)
{
    public ResponsesError Error { get; } = error;
}

/// <summary>Typed reads of a body's fields; a field of the wrong type is refused naming its path. A JSON null is an absent field.</summary>
internal static class JsonFields
{
    public static RequestRefused Invalid(string param, string message) => new(ResponsesError.Invalid(message, param));

    public static RequestRefused Unsupported(string param, string why) => new(ResponsesError.Unsupported(param, why));

    public static JsonElement? Optional(JsonElement parent, string name, string path) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static string? String(JsonElement parent, string name, string path)
    {
        if (Optional(parent, name, path) is not { } value) return null;
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Invalid(path, $"'{path}' must be a string.");
    }

    public static string RequiredString(JsonElement parent, string name, string path) =>
        String(parent, name, path) is { Length: > 0 } value ? value : throw Invalid(path, $"'{path}' is required (a non-empty string).");

    public static bool? Bool(JsonElement parent, string name, string path)
    {
        if (Optional(parent, name, path) is not { } value) return null;
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Invalid(path, $"'{path}' must be a boolean."),
        };
    }

    /// <summary>A number within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static float? Number(JsonElement parent, string name, string path, double min, double max)
    {
        if (Optional(parent, name, path) is not { } value) return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            throw Invalid(path, $"'{path}' must be a number.");
        }

        return number >= min && number <= max ? (float)number : throw Invalid(path, $"'{path}' must be between {min} and {max}.");
    }

    /// <summary>A whole number of at least <paramref name="min"/>.</summary>
    public static int? Integer(JsonElement parent, string name, string path, int min)
    {
        if (Optional(parent, name, path) is not { } value) return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number)) throw Invalid(path, $"'{path}' must be an integer.");
        return number >= min && number <= int.MaxValue ? (int)number : throw Invalid(path, $"'{path}' must be at least {min}.");
    }

    public static JsonElement? Object(JsonElement parent, string name, string path)
    {
        if (Optional(parent, name, path) is not { } value) return null;
        return value.ValueKind == JsonValueKind.Object ? value : throw Invalid(path, $"'{path}' must be an object.");
    }

    public static JsonElement? Array(JsonElement parent, string name, string path)
    {
        if (Optional(parent, name, path) is not { } value) return null;
        return value.ValueKind == JsonValueKind.Array ? value : throw Invalid(path, $"'{path}' must be an array.");
    }

    /// <summary>Refuses any field of <paramref name="element"/> not in <paramref name="known"/>, as OpenAI does (<c>Unknown parameter</c>).</summary>
    public static void OnlyKnown(JsonElement element, string pathPrefix, IReadOnlySet<string> known)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                var path = pathPrefix + property.Name;
                throw new RequestRefused(ResponsesError.Invalid($"Unknown parameter: '{path}'.", path, "unknown_parameter"));
            }
        }
    }
}
