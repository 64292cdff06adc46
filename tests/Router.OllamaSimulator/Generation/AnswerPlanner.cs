using System.Globalization;
using Router.OllamaSimulator.Wire;

namespace Router.OllamaSimulator.Generation;

/// <summary>
/// Decides what a request is answered with. In order: a tool call when tools are offered (chat endpoints),
/// <c>tool_choice</c> is not <c>none</c>, the <c>tool</c> directive is not <c>none</c> and the last message is not
/// a tool result; otherwise a JSON object when structured output was asked for; otherwise text. Text
/// answering a tool result starts with <c>Tool result: &lt;its content&gt; </c>; text seeing images starts with
/// <c>I see N image(s). </c>; then come the simulated tokens. A thinking answer sends its reasoning first. The
/// client's token limit counts reasoning and text; when it is reached the answer ends there with <c>length</c>.
/// </summary>
internal static class AnswerPlanner
{
    /// <summary>OpenAI's streamed argument fragments and structured-output fragments are about this long.</summary>
    private const int FragmentLength = 6;

    public static AnswerScript Plan(SimulatedCall call, SimulatorOptions options, ModelTraits traits, SimDirectives directives, long requestId)
    {
        var content = call.RequestContent;
        var tokens = directives.Tokens ?? options.ResponseTokens;
        var thinking = ThinkingEnabled(call, traits) ? directives.ThinkingTokens ?? options.ThinkingTokens : 0;
        var last = content.Messages.Count > 0 ? content.Messages[^1] : null;
        var answersToolResult = string.Equals(last?.Role, "tool", StringComparison.OrdinalIgnoreCase);

        IReadOnlyList<SimulatedToolCall> toolCalls = [];
        string[]? fragments = null;
        var contentSteps = tokens;
        if (call.Endpoint != SimulatedEndpoint.Generate && !answersToolResult && ChooseTools(content, directives) is { Count: > 0 } chosen)
        {
            toolCalls = [.. chosen.Select((tool, i) => new SimulatedToolCall(
                string.Create(CultureInfo.InvariantCulture, $"call_sim{requestId}_{i}"), tool.Name, JsonSchemaSample.For(tool.ParametersJson), i))];
            contentSteps = 0;
            fragments = [];
        }
        else
        {
            var prefix = Prefix(content, answersToolResult ? last : null);
            if (content.ResponseFormat is { WantsJson: true } format)
            {
                fragments = AnswerScript.Split(JsonAnswer(format, prefix + SimulatedText.Text(tokens)), FragmentLength);
            }
            else if (prefix.Length > 0)
            {
                fragments = [.. AnswerScript.Words(prefix), .. SimulatedText.Tokens(tokens)];
            }
        }

        contentSteps = fragments?.Length ?? contentSteps;
        var finish = toolCalls.Count > 0 ? "tool_calls" : "stop";
        if (call.Parameters.MaxTokens is { } limit && limit < thinking + contentSteps)
        {
            // The model ran out of tokens before it finished: what it had produced so far, and no tool call.
            thinking = Math.Min(thinking, limit);
            contentSteps = limit - thinking;
            fragments = fragments?[..contentSteps];
            toolCalls = [];
            finish = "length";
        }

        return new AnswerScript(thinking, fragments, contentSteps, toolCalls, finish);
    }

    /// <summary>Ollama's <c>think</c> (true or a level) or OpenAI's <c>reasoning_effort</c> (but <c>none</c>) turn it on; otherwise the model's default.</summary>
    public static bool ThinkingRequested(SimulatedRequestContent content) =>
        content.Think is { } think ? think != "false" : content.ReasoningEffort is { } effort && effort != "none";

    public static bool ThinkingEnabled(SimulatedCall call, ModelTraits traits)
    {
        var content = call.RequestContent;
        if (content.Think is not null || content.ReasoningEffort is not null)
        {
            return ThinkingRequested(content) && traits.Can(ModelTraits.Thinking);
        }

        return traits.ThinksByDefault && traits.Can(ModelTraits.Thinking);
    }

    private static List<SimulatedTool>? ChooseTools(SimulatedRequestContent content, SimDirectives directives)
    {
        if (content.Tools.Count == 0 || content.ToolChoice == "none" || directives.Tool == "none")
        {
            return null;
        }

        if (directives.Tool is { } named)
        {
            var picked = named.Split('+', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(n => content.Tools.FirstOrDefault(t => t.Name == n))
                .OfType<SimulatedTool>()
                .ToList();
            if (picked.Count > 0) return picked;
        }

        // OpenAI's forced choice: {"type":"function","function":{"name":"..."}}.
        if (content.ToolChoice is { } choice && choice.StartsWith('{'))
        {
            using var doc = System.Text.Json.JsonDocument.Parse(choice);
            if (doc.RootElement.TryGetProperty("function", out var f) && f.TryGetProperty("name", out var n)
                && content.Tools.FirstOrDefault(t => t.Name == n.GetString()) is { } forced)
            {
                return [forced];
            }
        }

        return [content.Tools[0]];
    }

    private static string Prefix(SimulatedRequestContent content, SimulatedMessage? toolResult)
    {
        var prefix = toolResult is null ? string.Empty : $"Tool result: {toolResult.Content} ";
        var images = content.Messages.Sum(m => m.Images.Count);
        if (images > 0)
        {
            prefix += images == 1 ? "I see 1 image. " : string.Create(CultureInfo.InvariantCulture, $"I see {images} images. ");
        }

        return prefix;
    }

    /// <summary>A schema's sample, or <c>{"answer":"&lt;the text&gt;"}</c> for plain JSON mode.</summary>
    private static string JsonAnswer(SimulatedResponseFormat format, string text)
    {
        if (format.SchemaJson is { } schema)
        {
            return JsonSchemaSample.For(schema);
        }

        using var buffer = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("answer", text.TrimEnd());
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
