using System.Text.Json;
using System.Text.Json.Serialization;
using OllamaSharp.Models;

namespace Router.Grains.Embeddings;

/// <summary>Ollama's <c>options</c> of an embed request, read into OllamaSharp's typed options.</summary>
internal static class EmbeddingOptions
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
            var where = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "'options'" : $"'options{ex.Path.TrimStart('$')}'";
            return (null, $"{where} cannot be passed to Ollama's embed: {FirstSentence(ex.Message)}");
        }
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }
}
