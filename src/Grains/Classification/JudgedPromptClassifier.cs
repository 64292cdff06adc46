using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using OllamaSharp;
using Router.Classifier;
using Router.Grains.Options;
using OllamaChat = OllamaSharp.Models.Chat;

namespace Router.Grains.Classification;

/// <summary>
/// The judge tier: when the classifier's calibrated confidence is under <see cref="ClassifierJudgeOptions.Below"/>, a
/// small instruct model on Ollama is asked to pick the category, with the answer held to the six categories by a
/// JSON schema. Its pick decides the model (through the routing table, as a certain answer would); a judge that
/// times out, fails or answers outside the schema leaves the classifier's own answer, so the judge can only add
/// latency up to its timeout, never an error. The result is cached with the classification like any other.
/// </summary>
internal sealed partial class JudgedPromptClassifier(
    IPromptClassifier inner, OllamaApiClient judge, RoutingTable routing, ClassifierJudgeOptions options, ILogger<JudgedPromptClassifier> logger)
    : IPromptClassifier
{
    /// <summary>The tier name a judged answer carries (<c>tier</c> in <c>/v1/route</c> and the request log).</summary>
    public const string JudgeTier = "judge";

    // The instruction is at one end of a long prompt; the judge reads what decides, not a whole pasted text.
    private const int MaxPromptCharacters = 2000;

    private static readonly JsonElement AnswerSchema = JsonSerializer.SerializeToElement(new JsonObject
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["category"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray([.. PromptCategories.All.Select(c => JsonValue.Create(c))]) },
        },
        ["required"] = new JsonArray("category"),
    });

    private const string Instruction =
        "You sort a user's message into exactly one category, by what the user wants done. Categories: "
        + "code (writing, explaining, reviewing or debugging code; shell, SQL, regular expressions, build errors); "
        + "math (arithmetic, algebra, calculus, statistics, word problems, proofs, conversions with computation); "
        + "creative_writing (stories, poems, lyrics, jokes, slogans, dialogue, role-play, naming things); "
        + "text_transformation (the message supplies a text to act on: summarise, rewrite, translate, correct, extract, reformat); "
        + "knowledge (factual questions and explanations: science, history, geography, how things work, definitions); "
        + "conversation (greetings, small talk, personal advice, opinions, feelings, planning one's day). "
        + "Answer with JSON: {\"category\": \"<one of the six>\"}.";

    public async Task<PromptRoute> ClassifyAsync(string message, CancellationToken cancellationToken)
    {
        var route = await inner.ClassifyAsync(message, cancellationToken);
        if (route.Confidence is not { } confidence || confidence >= options.Below)
        {
            return route;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            var category = await AskAsync(message, timeout.Token);
            if (category is null)
            {
                LogUnusable(logger, options.Model!);
                return route;
            }

            return route with { Model = routing.Choose(category, 1), Category = category, Tier = JudgeTier };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogTimedOut(logger, options.Model!, (long)options.Timeout.TotalMilliseconds);
            return route;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or InvalidOperationException or OllamaSharp.Models.Exceptions.OllamaException)
        {
            LogFailed(logger, options.Model!, ex.Message);
            return route;
        }
    }

    public double FollowUpProbability(string message) => inner.FollowUpProbability(message);

    /// <summary>The judge's category, or null when its answer is not one.</summary>
    private async Task<string?> AskAsync(string message, CancellationToken cancellationToken)
    {
        var text = message.Length > MaxPromptCharacters ? message[..MaxPromptCharacters] : message;
        var request = new OllamaChat.ChatRequest
        {
            Model = options.Model!,
            Stream = false,
            Format = AnswerSchema,
            Options = new OllamaSharp.Models.RequestOptions { Temperature = 0, NumPredict = 24 },
            Messages =
            [
                new OllamaChat.Message(OllamaChat.ChatRole.System, Instruction),
                new OllamaChat.Message(OllamaChat.ChatRole.User, text),
            ],
        };

        var answer = new System.Text.StringBuilder();
        await foreach (var part in judge.ChatAsync(request, cancellationToken))
        {
            answer.Append(part?.Message.Content);
        }

        using var json = JsonDocument.Parse(answer.ToString());
        return json.RootElement.ValueKind == JsonValueKind.Object
            && json.RootElement.TryGetProperty("category", out var value)
            && value.ValueKind == JsonValueKind.String
            && value.GetString() is { } category
            && PromptCategories.IsKnown(category)
                ? category
                : null;
    }

    [LoggerMessage(1621, LogLevel.Warning, "The judge {Model} gave no category; the classifier's answer stands")]
    private static partial void LogUnusable(ILogger logger, string model);

    [LoggerMessage(1622, LogLevel.Warning, "The judge {Model} took longer than {TimeoutMs} ms; the classifier's answer stands")]
    private static partial void LogTimedOut(ILogger logger, string model, long timeoutMs);

    [LoggerMessage(1623, LogLevel.Warning, "The judge {Model} failed: {Reason}; the classifier's answer stands")]
    private static partial void LogFailed(ILogger logger, string model, string reason);
}
