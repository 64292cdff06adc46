using System.Text.Json;
using System.Text.Json.Serialization;

namespace Router.Classifier.Service.Endpoints;

/// <summary>Body of <c>POST /complete</c>.</summary>
public sealed record CompleteRequest(string? Message);

/// <summary>Answer of <c>POST /complete</c>: calibrated scores, and which tier of the classifier decided.</summary>
public sealed record CompleteResponse(
    string Model,
    string Category,
    double Confidence,
    IReadOnlyDictionary<string, double> Scores,
    string Tier);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CompleteRequest))]
[JsonSerializable(typeof(CompleteResponse))]
internal sealed partial class ClassifierJsonContext : JsonSerializerContext;
