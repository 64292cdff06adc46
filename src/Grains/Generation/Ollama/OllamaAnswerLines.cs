using Router.Grains.Generation.Mapping;
using Router.Grains.Interfaces;

namespace Router.Grains.Generation.Ollama;

/// <summary>
/// What a line of Ollama's answer adds to the router's: the same pieces, usage and finish reason as
/// OllamaSharp's chat client update did through <see cref="AnswerPiece.Read"/> (text, then thinking,
/// then tool calls; the final object's counts and <c>done_reason</c>).
/// </summary>
internal static class OllamaAnswerLines
{
    private const string NoName = "n/a";

    public static ValueTask WriteAsync(OllamaLine line, AnswerPieceWriter writer)
    {
        if (line.Whole is null)
        {
            // The common line: a step of text or of thinking.
            if (line.Text is { Length: > 0 } text)
            {
                return line.Thinking is { Length: > 0 } ? WriteBothAsync(line, writer) : writer.WriteAsync(new AnswerPiece(PartKind.Text, text));
            }

            return line.Thinking is { Length: > 0 } thinking ? writer.WriteAsync(new AnswerPiece(PartKind.Reasoning, thinking)) : ValueTask.CompletedTask;
        }

        return WriteWholeAsync(line, writer);
    }

    private static async ValueTask WriteBothAsync(OllamaLine line, AnswerPieceWriter writer)
    {
        await writer.WriteAsync(new AnswerPiece(PartKind.Text, line.Text!));
        await writer.WriteAsync(new AnswerPiece(PartKind.Reasoning, line.Thinking!));
    }

    private static async ValueTask WriteWholeAsync(OllamaLine line, AnswerPieceWriter writer)
    {
        var message = line.Whole!.Message;
        if (message is not null)
        {
            if (message.Content is { Length: > 0 } text) await writer.WriteAsync(new AnswerPiece(PartKind.Text, text));
            if (message.Thinking is { Length: > 0 } thinking) await writer.WriteAsync(new AnswerPiece(PartKind.Reasoning, thinking));
            foreach (var call in message.ToolCalls ?? [])
            {
                if (call.Function is not { } function) continue;

                // The id OllamaSharp's chat client made up when the backend sent none: eight characters of a new GUID.
                var made = Guid.NewGuid().ToString()[..8];
                await writer.WriteAsync(AnswerPiece.WholeToolCall(writer.Result, call.Id, made, function.Name ?? NoName, function.Arguments));
            }
        }

        if (line.Final is { } final)
        {
            var result = writer.Result;
            result.PromptTokens = final.PromptEvalCount;
            result.OutputTokens = final.EvalCount;
            if (final.DoneReason is { } reason) result.FinishReason = reason;
        }
    }
}
