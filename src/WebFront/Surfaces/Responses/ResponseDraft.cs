using System.Text;
using Router.Grains.Interfaces;

namespace Router.WebFront.Surfaces.Responses;

/// <summary>What an output item is.</summary>
internal enum OutputKind
{
    Message,
    FunctionCall,
    Reasoning,
}

/// <summary>One item of a response's <c>output</c>, as it grows.</summary>
internal sealed class OutputItem(OutputKind kind, string id)
{
    public OutputKind Kind { get; } = kind;

    public string Id { get; } = id;

    /// <summary>The message's text, the reasoning's text, or the call's arguments.</summary>
    public StringBuilder Text { get; } = new();

    public string? CallId { get; init; }

    public string? Name { get; init; }

    /// <summary>The backend's index of the tool call this item is.</summary>
    public int ToolIndex { get; init; }

    public string Status { get; set; } = "in_progress";
}

/// <summary>A response object while it is made: its identity, what it repeats of its request, its output and its end.</summary>
internal sealed class ResponseDraft(ResponsesRequest request, string model)
{
    public string Id { get; } = "resp_" + Guid.NewGuid().ToString("N");

    public long CreatedAt { get; } = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public ResponsesRequest Request { get; } = request;

    public string Model { get; set; } = model;

    public List<OutputItem> Output { get; } = [];

    /// <summary><c>in_progress</c>, <c>completed</c>, <c>incomplete</c> or <c>failed</c>.</summary>
    public string Status { get; set; } = "in_progress";

    /// <summary>Why an incomplete response stopped (<c>max_output_tokens</c>, <c>content_filter</c>).</summary>
    public string? IncompleteReason { get; set; }

    public (string Code, string Message)? Error { get; set; }

    public CompletionSummary? Usage { get; set; }

    /// <summary>What the answer cost, for a priced model (in the usage object beside the counts).</summary>
    public Spend.RequestCost? Cost { get; set; }

    /// <summary>The output as the assistant's message of the conversation: thinking, text and calls in the order they came.</summary>
    public ConversationMessage AsMessage()
    {
        var parts = new List<MessagePart>(Output.Count);
        foreach (var item in Output)
        {
            parts.Add(item.Kind switch
            {
                OutputKind.Reasoning => new MessagePart(PartKind.Reasoning, Text: item.Text.ToString()),
                OutputKind.FunctionCall => new MessagePart(PartKind.ToolCall, CallId: item.CallId, Name: item.Name, Arguments: item.Text.ToString()),
                _ => MessagePart.FromText(item.Text.ToString()),
            });
        }

        return new ConversationMessage("assistant", parts.Count > 0 ? parts : [MessagePart.FromText("")]);
    }

    /// <summary>Ends the draft with the backend's finish reason: <c>length</c> (and a content filter) make it incomplete.</summary>
    public void Finish(CompletionSummary summary)
    {
        Usage = summary;
        IncompleteReason = summary.FinishReason switch
        {
            "length" => "max_output_tokens",
            "content_filter" => "content_filter",
            _ => null,
        };
        Status = IncompleteReason is null ? "completed" : "incomplete";
    }
}
