using System.Text.Json;
using System.Text.Json.Serialization;

namespace Router.OllamaSimulator.Wire;

// Only the request fields the simulator acts on or records; everything else a client sends (format,
// keep_alive, tools, think, images...) is accepted and ignored, as a tolerant server should.

internal sealed class ChatRequestBody
{
    public string? Model { get; set; }

    public List<ChatMessageBody>? Messages { get; set; }

    public bool? Stream { get; set; }

    public OllamaRequestOptions? Options { get; set; }
}

/// <summary>The <c>options</c> object's sampling fields; <c>num_predict</c> caps the answer like OpenAI's <c>max_tokens</c>.</summary>
internal sealed class OllamaRequestOptions
{
    public double? Temperature { get; set; }

    public double? TopP { get; set; }

    public int? NumPredict { get; set; }

    public JsonElement? Stop { get; set; }

    public long? Seed { get; set; }

    public SimulatedParameters ToParameters() =>
        new(Temperature, TopP, NumPredict is > 0 ? NumPredict : null, StopWords.Read(Stop), Seed);
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

    public OllamaRequestOptions? Options { get; set; }
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
