using System.Text.Json;
using System.Text.Json.Serialization;

namespace Router.OllamaSimulator.Wire;

// Response bodies of the endpoints that do not stream; requests are read by Requests/OpenAIRequestReader.

internal sealed record ModelListBody(string Object, IReadOnlyList<ModelListEntry> Data);

internal sealed record ModelListEntry(string Id, string Object, long Created, string OwnedBy);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ModelListBody))]
internal sealed partial class OpenAIJsonContext : JsonSerializerContext;
