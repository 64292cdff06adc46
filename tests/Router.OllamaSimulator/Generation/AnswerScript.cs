using System.Text;
using System.Text.Json;

namespace Router.OllamaSimulator.Generation;

/// <summary>What one step of an answer sends.</summary>
internal enum StepKind
{
    /// <summary>A fragment of the reasoning (Ollama's <c>thinking</c>, OpenAI's <c>reasoning_content</c>).</summary>
    Thinking,

    /// <summary>A fragment of the answer text.</summary>
    Content,

    /// <summary>One whole tool call (OpenAI's framing splits its arguments into several deltas).</summary>
    ToolCall,
}

/// <summary>
/// The planned answer as a sequence of steps: thinking fragments, then content fragments, then tool calls.
/// A step is what the generation loop paces, counts as a token and may cut, stall or fail after. A plain
/// answer reads its content from <see cref="SimulatedText"/>'s pre-encoded tokens, so it allocates nothing per token.
/// </summary>
internal sealed class AnswerScript
{
    private readonly string[]? _content;
    private readonly JsonEncodedText[]? _encodedContent;
    private readonly JsonEncodedText[] _encodedThinking;

    public AnswerScript(int thinkingSteps, string[]? content, int contentSteps, IReadOnlyList<SimulatedToolCall> toolCalls, string finishReason)
    {
        ThinkingSteps = thinkingSteps;
        _content = content;
        ContentSteps = content?.Length ?? contentSteps;
        _encodedContent = content is null ? null : Array.ConvertAll(content, c => JsonEncodedText.Encode(c));
        _encodedThinking = new JsonEncodedText[thinkingSteps];
        for (var i = 0; i < thinkingSteps; i++)
        {
            _encodedThinking[i] = JsonEncodedText.Encode(SimulatedText.ThinkingToken(i));
        }

        ToolCalls = toolCalls;
        FinishReason = finishReason;
    }

    public int ThinkingSteps { get; }

    public int ContentSteps { get; }

    /// <summary>The tool calls the answer makes (after all text); empty for a text answer.</summary>
    public IReadOnlyList<SimulatedToolCall> ToolCalls { get; }

    /// <summary><c>stop</c>, <c>length</c> or <c>tool_calls</c> (Ollama's framing says <c>stop</c> for the last).</summary>
    public string FinishReason { get; }

    public int StepCount => ThinkingSteps + ContentSteps + ToolCalls.Count;

    public static AnswerScript Plain(int tokens, string finishReason) => new(0, null, tokens, [], finishReason);

    public StepKind KindOf(int step) =>
        step < ThinkingSteps ? StepKind.Thinking
        : step < ThinkingSteps + ContentSteps ? StepKind.Content
        : StepKind.ToolCall;

    /// <summary>The encoded text of a thinking or content step.</summary>
    public JsonEncodedText Fragment(int step)
    {
        if (step < ThinkingSteps)
        {
            return _encodedThinking[step];
        }

        var i = step - ThinkingSteps;
        return _encodedContent is null ? SimulatedText.EncodedToken(i) : _encodedContent[i];
    }

    public SimulatedToolCall ToolCallAt(int step) => ToolCalls[step - ThinkingSteps - ContentSteps];

    /// <summary>The answer text the first <paramref name="steps"/> steps carried.</summary>
    public string ContentText(int steps)
    {
        var count = Math.Clamp(steps - ThinkingSteps, 0, ContentSteps);
        if (_content is null)
        {
            return SimulatedText.Text(count);
        }

        return string.Concat(_content.AsSpan(0, count).ToArray());
    }

    /// <summary>The reasoning the first <paramref name="steps"/> steps carried.</summary>
    public string ThinkingText(int steps) => SimulatedText.Thinking(Math.Clamp(steps, 0, ThinkingSteps));

    /// <summary>The tool calls among the first <paramref name="steps"/> steps.</summary>
    public IReadOnlyList<SimulatedToolCall> ToolCallsIn(int steps) =>
        [.. ToolCalls.Take(Math.Max(0, steps - ThinkingSteps - ContentSteps))];

    /// <summary>Splits text into fragments of about <paramref name="size"/> characters, never inside a surrogate pair.</summary>
    public static string[] Split(string text, int size)
    {
        var parts = new List<string>();
        var builder = new StringBuilder();
        foreach (var c in text)
        {
            builder.Append(c);
            if (builder.Length >= size && !char.IsHighSurrogate(c))
            {
                parts.Add(builder.ToString());
                builder.Clear();
            }
        }

        if (builder.Length > 0)
        {
            parts.Add(builder.ToString());
        }

        return [.. parts];
    }

    /// <summary>Splits text into words, each keeping the whitespace after it, like the simulated tokens.</summary>
    public static IEnumerable<string> Words(string text)
    {
        var start = 0;
        for (var i = 1; i <= text.Length; i++)
        {
            if (i == text.Length || (char.IsWhiteSpace(text[i - 1]) && !char.IsWhiteSpace(text[i])))
            {
                yield return text[start..i];
                start = i;
            }
        }
    }
}
