using Router.Grains.Interfaces;

namespace Router.WebFront.Surfaces.Responses;

/// <summary>
/// The whole input the model gets: this request's <c>instructions</c> as the system message, the
/// stored conversation it continues, then its own items — nothing else (no session turns). A tool
/// result gets the name of the call it answers, which Ollama needs; one answering no call is refused.
/// </summary>
internal static class ResponsesConversation
{
    /// <summary>The model's input and the text the classifier routes on (the last user message's).</summary>
    public static (ModelInput? Input, string? Message, ResponsesError? Error) Assemble(ResponsesRequest request, ResponseHistory history)
    {
        var messages = new List<ConversationMessage>(history.Messages.Count + request.Input.Count + 1);
        if (request.Instructions is { Length: > 0 } instructions) messages.Add(ConversationMessage.FromText("system", instructions));
        messages.AddRange(history.Messages);

        var callNames = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var part in history.Messages.Concat(request.Input).SelectMany(m => m.Parts).Where(p => p.Kind == PartKind.ToolCall))
        {
            callNames[part.CallId!] = part.Name;
        }

        foreach (var message in request.Input)
        {
            if (message.Role != "tool")
            {
                messages.Add(message);
                continue;
            }

            var result = message.Parts[0];
            if (!callNames.TryGetValue(result.CallId!, out var name))
            {
                return (null, null, ResponsesError.Invalid($"No tool call found for function call output with call_id '{result.CallId}'.", "input"));
            }

            messages.Add(message with { Parts = [result with { Name = name }] });
        }

        if (messages.LastOrDefault(m => m.Role == "user") is not { } last)
        {
            return (null, null, ResponsesError.Invalid("The conversation needs a user message.", "input"));
        }

        return (new ModelInput(messages, request.Tools, request.ToolChoice, request.Format), last.Text, null);
    }
}
