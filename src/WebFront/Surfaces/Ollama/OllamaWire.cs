using System.Text.Json.Serialization;

namespace Router.WebFront.Surfaces.Ollama;

// The bodies of Ollama's model endpoints, as far as the router can fill them honestly.

internal sealed record VersionBody(string Version);

internal sealed record TagsBody(IReadOnlyList<TagModel> Models);

internal sealed record TagModel(string Name, string Model, DateTimeOffset ModifiedAt, long Size, string Digest, ModelDetails Details);

internal sealed record ModelDetails(
    string ParentModel,
    string Format,
    string Family,
    IReadOnlyList<string>? Families,
    string ParameterSize,
    string QuantizationLevel);

internal sealed record ShowBody(
    string Modelfile,
    string Parameters,
    string Template,
    ModelDetails Details,
    IReadOnlyDictionary<string, string> ModelInfo,
    IReadOnlyList<string> Capabilities,
    DateTimeOffset ModifiedAt);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(VersionBody))]
[JsonSerializable(typeof(TagsBody))]
[JsonSerializable(typeof(ShowBody))]
internal sealed partial class OllamaJson : JsonSerializerContext;
