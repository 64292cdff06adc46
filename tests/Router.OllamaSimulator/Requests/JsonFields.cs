using System.Globalization;
using System.Text.Json;

namespace Router.OllamaSimulator.Requests;

/// <summary>A request the simulator refuses as malformed (400), with a message naming the field.</summary>
internal sealed class BadRequestException(string message) : Exception(message);

/// <summary>Typed reads of optional request fields; a field of the wrong JSON kind is a <see cref="BadRequestException"/> naming it.</summary>
internal static class JsonFields
{
    public static bool TryGet(JsonElement obj, string name, out JsonElement value)
    {
        if (obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        value = default;
        return false;
    }

    public static string? String(JsonElement obj, string name, string path) =>
        !TryGet(obj, name, out var v) ? null
        : v.ValueKind == JsonValueKind.String ? v.GetString()
        : throw Wrong(path, name, "a string");

    public static bool? Bool(JsonElement obj, string name, string path) =>
        !TryGet(obj, name, out var v) ? null
        : v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean()
        : throw Wrong(path, name, "a boolean");

    public static double? Double(JsonElement obj, string name, string path) =>
        !TryGet(obj, name, out var v) ? null
        : v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && double.IsFinite(d) ? d
        : throw Wrong(path, name, "a finite number");

    public static int? Int(JsonElement obj, string name, string path) =>
        !TryGet(obj, name, out var v) ? null
        : v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i
        : throw Wrong(path, name, "an integer");

    public static long? Long(JsonElement obj, string name, string path) =>
        !TryGet(obj, name, out var v) ? null
        : v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var l) ? l
        : throw Wrong(path, name, "an integer");

    public static JsonElement? Array(JsonElement obj, string name, string path) =>
        !TryGet(obj, name, out var v) ? null
        : v.ValueKind == JsonValueKind.Array ? v
        : throw Wrong(path, name, "an array");

    public static JsonElement? Object(JsonElement obj, string name, string path) =>
        !TryGet(obj, name, out var v) ? null
        : v.ValueKind == JsonValueKind.Object ? v
        : throw Wrong(path, name, "an object");

    /// <summary>A string as is; any other value as its raw JSON (e.g. <c>keep_alive: 300</c>, <c>think: true</c>).</summary>
    public static string? Scalar(JsonElement obj, string name) =>
        !TryGet(obj, name, out var v) ? null
        : v.ValueKind == JsonValueKind.String ? v.GetString()
        : v.GetRawText();

    /// <summary><c>stop</c> is a string or an array of strings in both APIs.</summary>
    public static IReadOnlyList<string>? Stop(JsonElement obj, string path)
    {
        if (!TryGet(obj, "stop", out var v)) return null;
        if (v.ValueKind == JsonValueKind.String) return [v.GetString()!];
        if (v.ValueKind == JsonValueKind.Array && v.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String))
        {
            return [.. v.EnumerateArray().Select(e => e.GetString()!)];
        }

        throw Wrong(path, "stop", "a string or an array of strings");
    }

    public static string At(string path, int index) => string.Create(CultureInfo.InvariantCulture, $"{path}[{index}]");

    private static BadRequestException Wrong(string path, string name, string kind) =>
        new($"{(path.Length == 0 ? name : path + "." + name)} must be {kind}");
}
