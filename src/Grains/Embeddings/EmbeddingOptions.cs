using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using OllamaSharp.Models;

namespace Router.Grains.Embeddings;

/// <summary>Ollama's <c>options</c> of an embed request, read into OllamaSharp's typed options.</summary>
internal static partial class EmbeddingOptions
{
    // An option OllamaSharp cannot carry would be dropped without a word; refuse it instead.
    private static readonly JsonSerializerOptions Strict = new() { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    /// <returns>The options, or a message naming what is wrong with them.</returns>
    public static (RequestOptions? Options, string? Problem) Read(string json)
    {
        try
        {
            return (JsonSerializer.Deserialize<RequestOptions>(json, Strict), null);
        }
        catch (JsonException ex)
        {
            // The serializer's own text names .NET types; the client gets the option's name only.
            var unknown = UnknownName().Match(ex.Message);
            if (unknown.Success) return (null, $"'options.{unknown.Groups[1].Value}' is not an option Ollama's embed takes.");
            var where = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "options" : "options" + ex.Path.TrimStart('$');
            return (null, $"'{where}' has a value of the wrong type.");
        }
    }

    [GeneratedRegex("property '([^']+)' could not be mapped")]
    private static partial Regex UnknownName();
}
