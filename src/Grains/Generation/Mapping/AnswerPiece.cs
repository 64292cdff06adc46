using System.Text.Json;
using Microsoft.Extensions.AI;
using Router.Grains.Interfaces;

namespace Router.Grains.Generation.Mapping;

/// <summary>What one backend update adds to the answer: text, thinking or a tool call.</summary>
internal readonly record struct AnswerPiece(PartKind Kind, string Text, ToolCallDelta? ToolCall = null)
{
    /// <summary>Arguments go out as compact JSON, the way the backends send them (the default options indent).</summary>
    private static readonly JsonSerializerOptions Compact = new(AIJsonUtilities.DefaultOptions) { WriteIndented = false };

    /// <summary>
    /// The pieces of an update, in the order a client should see them (thinking before text), and
    /// the update's usage and finish reason recorded on <paramref name="result"/>. Tool calls come
    /// whole from both clients, so each is one delta with its id, name and arguments.
    /// </summary>
    public static void Read(ChatResponseUpdate update, GenerationResult result, Action<AnswerPiece> add)
    {
        foreach (var content in update.Contents)
        {
            switch (content)
            {
                case TextReasoningContent { Text.Length: > 0 } reasoning:
                    add(new AnswerPiece(PartKind.Reasoning, reasoning.Text));
                    break;
                case TextContent { Text.Length: > 0 } text:
                    add(new AnswerPiece(PartKind.Text, text.Text));
                    break;
                case FunctionCallContent call:
                    // OllamaSharp makes up an id of its own; the backend's, when it sent one, is the one a client can match.
                    add(WholeToolCall(result, (call.RawRepresentation as OllamaSharp.Models.Chat.Message.ToolCall)?.Id, call.CallId, call.Name, call.Arguments));
                    break;
                case UsageContent usage:
                    result.PromptTokens = usage.Details.InputTokenCount ?? result.PromptTokens;
                    result.OutputTokens = usage.Details.OutputTokenCount ?? result.OutputTokens;
                    result.CachedInputTokens = usage.Details.CachedInputTokenCount ?? result.CachedInputTokens;
                    break;
            }
        }

        if (update.FinishReason is { } finish) result.FinishReason = finish.Value;
    }

    /// <summary>A whole tool call: the backend's id when it sent one, else the client library's, else one made up here.</summary>
    public static AnswerPiece WholeToolCall(GenerationResult result, string? backendId, string? clientId, string name, IDictionary<string, object?>? arguments)
    {
        var json = arguments is null ? "{}" : JsonSerializer.Serialize(arguments, Compact);
        var id = backendId is { Length: > 0 } ? backendId : string.IsNullOrEmpty(clientId) ? $"call_{Guid.NewGuid():N}"[..29] : clientId;
        return new AnswerPiece(PartKind.ToolCall, "", new ToolCallDelta(result.ToolCalls++, id, name, json));
    }

    /// <summary>
    /// The finish reason the client is told: a backend that called tools and said <c>stop</c>
    /// (Ollama does) finished for <c>tool_calls</c>.
    /// </summary>
    public static string? FinishReasonOf(GenerationResult result) =>
        result.ToolCalls > 0 && result.FinishReason is null or "stop" ? "tool_calls" : result.FinishReason;
}
