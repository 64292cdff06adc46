using System.Text;
using Router.Grains.Interfaces;

namespace Router.WebFront.Surfaces.Ollama;

/// <summary>
/// What a <c>"stream": false</c> answer gathers before its single object: the text, the thinking apart
/// from it, and the tool calls (pieces of one call, sharing an index, joined into one).
/// </summary>
public sealed class OllamaAnswer
{
    public StringBuilder Text { get; } = new();

    public StringBuilder Thinking { get; } = new();

    public List<ToolCallDelta> ToolCalls { get; } = [];

    public void Add(string text, string? thinking, IReadOnlyList<ToolCallDelta>? calls)
    {
        Text.Append(text);
        Thinking.Append(thinking);
        foreach (var call in calls ?? [])
        {
            var at = ToolCalls.FindIndex(c => c.Index == call.Index);
            if (at < 0) ToolCalls.Add(call);
            else ToolCalls[at] = ToolCalls[at] with { Arguments = ToolCalls[at].Arguments + call.Arguments, Id = ToolCalls[at].Id ?? call.Id, Name = ToolCalls[at].Name ?? call.Name };
        }
    }

    /// <summary>
    /// Ollama's <c>done_reason</c>: the backend's, in Ollama's words. Ollama says <c>stop</c> when the
    /// model ended with tool calls, so the core's <c>tool_calls</c> is <c>stop</c> here.
    /// </summary>
    public static string DoneReason(CompletionSummary summary) => summary.FinishReason switch
    {
        null or "tool_calls" => "stop",
        var reason => reason,
    };
}
