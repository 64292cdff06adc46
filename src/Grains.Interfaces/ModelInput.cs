namespace Router.Grains.Interfaces;

/// <summary>
/// What the model gets when the client owns its conversation (the OpenAI, Ollama and agents'
/// surfaces): every message as sent, the tools offered, the tool choice and the output format. The
/// router adds nothing to it and drops nothing from it: a surface refuses what it cannot carry.
/// </summary>
/// <param name="Messages">The whole conversation, oldest first, the last user message included.</param>
/// <param name="Tools">The functions the model may call; null when none were offered.</param>
/// <param name="ToolChoice">Whether and which tool the model must call; null leaves it to the model.</param>
/// <param name="Format">Structured output asked for; null for free text.</param>
[GenerateSerializer, Immutable, Alias("router.model-input.v1")]
public sealed record ModelInput(
    [property: Id(0)] IReadOnlyList<ConversationMessage> Messages,
    [property: Id(1)] IReadOnlyList<ToolDefinition>? Tools = null,
    [property: Id(2)] ToolChoice? ToolChoice = null,
    [property: Id(3)] OutputFormat? Format = null)
{
    /// <summary>True when any message carries an image.</summary>
    public bool HasImages => Messages.Any(m => m.Parts.Any(p => p.Kind == PartKind.Image));

    /// <summary>True when tools are offered and the choice does not forbid them.</summary>
    public bool UsesTools => Tools is { Count: > 0 } && ToolChoice?.Mode != ToolChoice.None;

    /// <summary>A rough count of the prompt's tokens (a token per four bytes of text, images aside), for context-length checks.</summary>
    public int EstimatedPromptTokens()
    {
        long bytes = 0;
        foreach (var message in Messages)
        {
            foreach (var part in message.Parts)
            {
                bytes += (part.Text?.Length ?? 0) + (part.Arguments?.Length ?? 0);
            }
        }

        foreach (var tool in Tools ?? [])
        {
            bytes += tool.Name.Length + (tool.Description?.Length ?? 0) + (tool.Parameters?.Length ?? 0);
        }

        return (int)Math.Min(int.MaxValue, bytes / 4 + 1);
    }
}

/// <summary>What a part of a message holds.</summary>
public enum PartKind
{
    /// <summary>Text (<see cref="MessagePart.Text"/>).</summary>
    Text = 0,

    /// <summary>An image: bytes with a media type, or (for upstreams that fetch it) an address.</summary>
    Image = 1,

    /// <summary>An assistant's call of a tool: <see cref="MessagePart.CallId"/>, <see cref="MessagePart.Name"/>, <see cref="MessagePart.Arguments"/>.</summary>
    ToolCall = 2,

    /// <summary>A tool's result: <see cref="MessagePart.CallId"/> and/or the tool's <see cref="MessagePart.Name"/>, content in <see cref="MessagePart.Text"/>.</summary>
    ToolResult = 3,

    /// <summary>A reasoning model's thinking, kept apart from the answer's text.</summary>
    Reasoning = 4,
}

/// <summary>One part of a message; which fields are set depends on <see cref="Kind"/>.</summary>
/// <param name="Text">Text, reasoning, or a tool result's content.</param>
/// <param name="MediaType">An image's media type (<c>image/png</c>).</param>
/// <param name="Data">An image's bytes.</param>
/// <param name="Uri">An image's remote address, when the client sent one (passed to upstreams only; the router fetches nothing).</param>
/// <param name="CallId">The id of a tool call, or of the call a result answers.</param>
/// <param name="Name">The tool's name.</param>
/// <param name="Arguments">A tool call's arguments, as the JSON object text the model produced.</param>
[GenerateSerializer, Immutable, Alias("router.message-part.v1")]
public sealed record MessagePart(
    [property: Id(0)] PartKind Kind,
    [property: Id(1)] string? Text = null,
    [property: Id(2)] string? MediaType = null,
    [property: Id(3)] byte[]? Data = null,
    [property: Id(4)] string? Uri = null,
    [property: Id(5)] string? CallId = null,
    [property: Id(6)] string? Name = null,
    [property: Id(7)] string? Arguments = null)
{
    public static MessagePart FromText(string text) => new(PartKind.Text, Text: text);
}

/// <summary>One message of a conversation.</summary>
/// <param name="Role"><c>system</c>, <c>user</c>, <c>assistant</c> or <c>tool</c>.</param>
[GenerateSerializer, Immutable, Alias("router.conversation-message.v1")]
public sealed record ConversationMessage(
    [property: Id(0)] string Role,
    [property: Id(1)] IReadOnlyList<MessagePart> Parts)
{
    public static ConversationMessage FromText(string role, string text) => new(role, [MessagePart.FromText(text)]);

    /// <summary>The text parts, joined with newlines (several parts of one message are separate paragraphs).</summary>
    public string Text => Parts.Count == 1 && Parts[0].Kind == PartKind.Text
        ? Parts[0].Text ?? ""
        : string.Join("\n", Parts.Where(p => p.Kind == PartKind.Text).Select(p => p.Text));
}

/// <summary>A function the model may call.</summary>
/// <param name="Parameters">Its parameters as JSON-schema text; null for none.</param>
[GenerateSerializer, Immutable, Alias("router.tool-definition.v1")]
public sealed record ToolDefinition(
    [property: Id(0)] string Name,
    [property: Id(1)] string? Description = null,
    [property: Id(2)] string? Parameters = null,
    [property: Id(3)] bool? Strict = null);

/// <summary>Whether the model may, must or must not call a tool.</summary>
/// <param name="Mode"><see cref="Auto"/>, <see cref="None"/>, <see cref="Required"/> or <see cref="Function"/>.</param>
/// <param name="Name">With <see cref="Function"/>: the tool that must be called.</param>
[GenerateSerializer, Immutable, Alias("router.tool-choice.v1")]
public sealed record ToolChoice(
    [property: Id(0)] string Mode,
    [property: Id(1)] string? Name = null)
{
    public const string Auto = "auto";
    public const string None = "none";
    public const string Required = "required";
    public const string Function = "function";
}

/// <summary>Structured output: any JSON object, or one that follows a schema.</summary>
/// <param name="Kind"><see cref="Json"/> or <see cref="JsonSchema"/>.</param>
/// <param name="Schema">With <see cref="JsonSchema"/>: the schema as JSON text.</param>
[GenerateSerializer, Immutable, Alias("router.output-format.v1")]
public sealed record OutputFormat(
    [property: Id(0)] string Kind,
    [property: Id(1)] string? Schema = null,
    [property: Id(2)] string? Name = null,
    [property: Id(3)] string? Description = null,
    [property: Id(4)] bool? Strict = null)
{
    public const string Json = "json";
    public const string JsonSchema = "json_schema";
}
