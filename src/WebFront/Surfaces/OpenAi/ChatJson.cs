using System.Text.Json;

namespace Router.WebFront.Surfaces.OpenAi;

/// <summary>
/// Typed reads of a chat request's values; a value of the wrong type or out of range ends the read
/// with a <see cref="ChatRequestRefused"/> naming the parameter (its path, as OpenAI names it).
/// </summary>
internal static class ChatJson
{
    /// <summary>True for a value the client left out: OpenAI treats <c>null</c> as absent.</summary>
    public static bool IsAbsent(JsonElement value) => value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null;

    public static string String(JsonElement value, string param) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Refuse(OpenAiError.InvalidType(param, "a string"));

    public static bool Bool(JsonElement value, string param) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Refuse(OpenAiError.InvalidType(param, "a boolean")),
    };

    /// <summary>A number within [min, max]; read as a double first, so 1e39 is out of range rather than a float overflow.</summary>
    public static float Number(JsonElement value, string param, double min, double max)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var d)) throw Refuse(OpenAiError.InvalidType(param, "a number"));
        if (!double.IsFinite(d) || d < min || d > max) throw Refuse(OpenAiError.InvalidValue(param, $"'{param}' must be between {min} and {max}."));
        return (float)d;
    }

    public static long Integer(JsonElement value, string param, long min, long max)
    {
        if (value.ValueKind != JsonValueKind.Number) throw Refuse(OpenAiError.InvalidType(param, "an integer"));
        if (!value.TryGetInt64(out var n))
        {
            // A fraction is the wrong type; an integer past 64 bits is merely too large.
            throw value.TryGetDouble(out var d) && double.IsFinite(d) && Math.Floor(d) != d
                ? Refuse(OpenAiError.InvalidType(param, "an integer"))
                : Refuse(OpenAiError.InvalidValue(param, $"'{param}' must be between {min} and {max}."));
        }

        return n >= min && n <= max ? n : throw Refuse(OpenAiError.InvalidValue(param, $"'{param}' must be between {min} and {max}."));
    }

    public static JsonElement Object(JsonElement value, string param) =>
        value.ValueKind == JsonValueKind.Object ? value : throw Refuse(OpenAiError.InvalidType(param, "an object"));

    public static JsonElement Array(JsonElement value, string param) =>
        value.ValueKind == JsonValueKind.Array ? value : throw Refuse(OpenAiError.InvalidType(param, "an array"));

    /// <summary>A member of an object, or <c>default</c> (undefined) when it is missing.</summary>
    public static JsonElement Member(JsonElement obj, string name) => obj.TryGetProperty(name, out var value) ? value : default;

    /// <summary>Refuses any member of <paramref name="obj"/> not among <paramref name="known"/>: what the router does not know it cannot pass on.</summary>
    public static void OnlyKnown(JsonElement obj, string path, params ReadOnlySpan<string> known)
    {
        foreach (var member in obj.EnumerateObject())
        {
            if (!known.Contains(member.Name)) throw Refuse(OpenAiError.Invalid($"Unknown parameter: '{path}.{member.Name}'.", $"{path}.{member.Name}", "unknown_parameter"));
        }
    }

    public static ChatRequestRefused Refuse(OpenAiError error) => new(error);
}

/// <summary>Ends the read of a chat request with the error the client gets.</summary>
internal sealed class ChatRequestRefused(OpenAiError error) : Exception(error.Message)
{
    public OpenAiError Error { get; } = error;
}
