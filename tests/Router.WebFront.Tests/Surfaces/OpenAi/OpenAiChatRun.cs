using System.Text;
using OpenAI.Chat;

namespace Router.WebFront.Tests.Surfaces.OpenAi;

/// <summary>A tool call as the client assembled it.</summary>
public sealed record ReceivedToolCall(string Id, string Name, string Arguments);

/// <summary>What the official client got back, streamed or plain, in one shape so a case can run both ways.</summary>
public sealed record ChatOutcome(string Text, IReadOnlyList<ReceivedToolCall> ToolCalls, ChatFinishReason? FinishReason, ChatTokenUsage? Usage, string? Model);

internal static class OpenAiChatRun
{
    public static async Task<ChatOutcome> RunAsync(ChatClient client, bool stream, IEnumerable<ChatMessage> messages, ChatCompletionOptions? options = null)
    {
        if (!stream)
        {
            ChatCompletion completion = await client.CompleteChatAsync(messages, options, Timeouts.Token());
            return new ChatOutcome(
                string.Concat(completion.Content.Select(p => p.Text)),
                [.. completion.ToolCalls.Select(c => new ReceivedToolCall(c.Id, c.FunctionName, c.FunctionArguments.ToString()))],
                completion.FinishReason,
                completion.Usage,
                completion.Model);
        }

        var text = new StringBuilder();
        var calls = new SortedDictionary<int, (string? Id, string? Name, StringBuilder Arguments)>();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        string? model = null;
        await foreach (var update in client.CompleteChatStreamingAsync(messages, options, Timeouts.Token()))
        {
            foreach (var part in update.ContentUpdate) text.Append(part.Text);
            foreach (var call in update.ToolCallUpdates)
            {
                var (id, name, arguments) = calls.TryGetValue(call.Index, out var c) ? c : (null, null, new StringBuilder());
                arguments.Append(call.FunctionArgumentsUpdate?.ToString());
                calls[call.Index] = (id ?? call.ToolCallId, name ?? call.FunctionName, arguments);
            }

            finish ??= update.FinishReason;
            usage ??= update.Usage;
            model ??= update.Model;
        }

        return new ChatOutcome(text.ToString(), [.. calls.Values.Select(c => new ReceivedToolCall(c.Id!, c.Name!, c.Arguments.ToString()))], finish, usage, model);
    }
}
