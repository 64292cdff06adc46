using System.Text.Json.Serialization;

namespace Router.OllamaSimulator.Wire;

// Only the request fields the simulator acts on; everything else a client sends (options, format,
// keep_alive, tools, think, images...) is accepted and ignored, as a tolerant server should.

internal sealed class ChatRequestBody
{
    public string? Model { get; set; }

    public List<ChatMessageBody>? Messages { get; set; }

    public bool? Stream { get; set; }
}

internal sealed class ChatMessageBody
{
    public string? Role { get; set; }

    public string? Content { get; set; }
}

internal sealed class GenerateRequestBody
{
    public string? Model { get; set; }

    public string? Prompt { get; set; }

    public string? System { get; set; }

    public bool? Stream { get; set; }
}

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
[JsonSerializable(typeof(ChatRequestBody))]
[JsonSerializable(typeof(GenerateRequestBody))]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(VersionBody))]
[JsonSerializable(typeof(TagsBody))]
[JsonSerializable(typeof(SimulatorStats))]
internal sealed partial class SimulatorJsonContext : JsonSerializerContext;
