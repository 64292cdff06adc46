using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Router.Grains.Classification;

/// <summary>
/// The client of the classifier service contract:
/// <c>POST {Classifier:Url}</c> <c>{"message": "..."}</c> → <c>{"model", "category", "confidence"}</c>.
/// </summary>
public sealed class HttpPromptClassifier(HttpClient http) : IPromptClassifier
{
    public async Task<PromptRoute> ClassifyAsync(string message, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsJsonAsync("", new ClassifyRequest(message), ClassifierJson.Default.ClassifyRequest, cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ClassifierException($"the classifier did not answer within {http.Timeout.TotalMilliseconds:0} ms");
        }
        catch (HttpRequestException ex)
        {
            throw new ClassifierException($"the classifier is unreachable: {ex.Message}", ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new ClassifierException($"the classifier answered HTTP {(int)response.StatusCode}");
            }

            ClassifyResponse? body;
            try
            {
                body = await response.Content.ReadFromJsonAsync(ClassifierJson.Default.ClassifyResponse, cancellationToken);
            }
            catch (JsonException ex)
            {
                throw new ClassifierException("the classifier's answer is not valid JSON", ex);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ClassifierException($"the classifier did not answer within {http.Timeout.TotalMilliseconds:0} ms");
            }

            if (body is null || string.IsNullOrWhiteSpace(body.Model))
            {
                throw new ClassifierException("the classifier's answer has no model");
            }

            return new PromptRoute(body.Model.Trim(), body.Category, body.Confidence, body.Scores, body.Tier is { } tier ? $"service:{tier}" : "service");
        }
    }
}

internal sealed record ClassifyRequest([property: JsonPropertyName("message")] string Message);

internal sealed record ClassifyResponse(
    [property: JsonPropertyName("model")] string? Model,
    [property: JsonPropertyName("category")] string? Category,
    [property: JsonPropertyName("confidence")] double? Confidence,
    [property: JsonPropertyName("scores")] Dictionary<string, double>? Scores = null,
    [property: JsonPropertyName("tier")] string? Tier = null);

[JsonSerializable(typeof(ClassifyRequest))]
[JsonSerializable(typeof(ClassifyResponse))]
internal sealed partial class ClassifierJson : JsonSerializerContext;
