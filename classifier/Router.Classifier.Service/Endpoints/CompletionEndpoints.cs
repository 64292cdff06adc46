using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Router.Classifier.Service.Diagnostics;

namespace Router.Classifier.Service.Endpoints;

/// <summary><c>POST /complete</c>: classify a message and name the model that should answer it.</summary>
public static partial class CompletionEndpoints
{
    public static IEndpointRouteBuilder MapCompletionEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost("/complete", CompleteAsync);
        return endpoints;
    }

    // The body is read by hand rather than bound, so that every kind of bad input — wrong content type
    // included, which binding would answer with 415 — gets the same 400 problem response.
    internal static async Task<Results<Ok<CompleteResponse>, ProblemHttpResult>> CompleteAsync(
        HttpRequest request,
        IPromptCategoryModel model,
        ClassifierInstruments instruments,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            return Reject(instruments, "content_type", StatusCodes.Status400BadRequest, "Content-Type must be application/json.");
        }

        CompleteRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(request.Body, ClassifierJsonContext.Default.CompleteRequest, cancellationToken);
        }
        catch (JsonException ex)
        {
            return Reject(instruments, "malformed_json", StatusCodes.Status400BadRequest, $"The body is not valid JSON: {ex.Message}");
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Reject(instruments, "too_large", StatusCodes.Status413PayloadTooLarge, "The request body is too large.");
        }

        if (string.IsNullOrWhiteSpace(body?.Message))
        {
            return Reject(instruments, "empty_message", StatusCodes.Status400BadRequest, "'message' is required and must not be empty.");
        }

        var start = Stopwatch.GetTimestamp();
        var result = model.Classify(body.Message);
        var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        instruments.Classified(result.Category, result.Model, elapsed);
        LogClassified(loggerFactory.CreateLogger(typeof(CompletionEndpoints).FullName!), result.Category, result.Model, result.Confidence, elapsed);
        return TypedResults.Ok(new CompleteResponse(result.Model, result.Category, result.Confidence, result.Scores, result.Tier));
    }

    private static ProblemHttpResult Reject(ClassifierInstruments instruments, string reason, int status, string detail)
    {
        instruments.Rejected(reason);
        return TypedResults.Problem(detail: detail, statusCode: status);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Classified as {Category} → {Model} (confidence {Confidence:F2}) in {ElapsedMs:F3} ms")]
    private static partial void LogClassified(ILogger logger, string category, string model, double confidence, double elapsedMs);
}
