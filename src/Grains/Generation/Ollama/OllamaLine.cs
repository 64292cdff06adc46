using OllamaSharp.Models.Chat;

namespace Router.Grains.Generation.Ollama;

/// <summary>
/// One line of Ollama's streamed <c>/api/chat</c> answer. The common line, a step of text or of
/// thinking, is read straight from its bytes into <see cref="Text"/> and <see cref="Thinking"/>; any
/// other (the final object, tool calls, a field the fast reading does not know) comes whole as
/// OllamaSharp's own response type in <see cref="Whole"/>, read the way OllamaSharp reads it.
/// </summary>
/// <param name="Error">Ollama's mid-stream <c>error</c>: no part of the answer; the stream ends after it without the final object.</param>
internal readonly record struct OllamaLine(string? Text, string? Thinking, ChatResponseStream? Whole, string? Error = null)
{
    /// <summary>The final object (<c>"done": true</c>), with the finish reason and the token counts.</summary>
    public ChatDoneResponseStream? Final => Whole as ChatDoneResponseStream;

    /// <summary>
    /// A line that carries the answer: text, or the final object (its token counts). A bare role,
    /// thinking or a tool call is not one, as for the watchdogs of the chat client pipeline.
    /// </summary>
    public bool IsToken => (Whole is null ? Text : Whole.Message?.Content) is { Length: > 0 } || Final is not null;
}
