using System.Text.Json;
using System.Text.Json.Serialization;

namespace Router.OllamaSimulator.Wire;

// Response bodies of the endpoints that do not stream; requests are read by Requests/OllamaRequestReader.

internal sealed record ErrorBody(string Error);

internal sealed record VersionBody(string Version);

internal sealed record TagsBody(IReadOnlyList<TagModel> Models);

internal sealed record TagModel(string Name, string Model, DateTimeOffset ModifiedAt, long Size, string Digest, TagModelDetails Details);

internal sealed record TagModelDetails(
    string ParentModel,
    string Format,
    string Family,
    IReadOnlyList<string> Families,
    string ParameterSize,
    string QuantizationLevel);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(VersionBody))]
[JsonSerializable(typeof(TagsBody))]
[JsonSerializable(typeof(SimulatorStats))]
internal sealed partial class SimulatorJsonContext : JsonSerializerContext;
