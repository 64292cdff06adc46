namespace Router.OllamaSimulator;

/// <summary>
/// One message of a request's conversation, as the simulator received it, whichever API it came through.
/// </summary>
/// <param name="Role"><c>system</c>, <c>user</c>, <c>assistant</c>, <c>tool</c> (as sent).</param>
/// <param name="Content">The text: Ollama's <c>content</c>, or OpenAI's string content or its <c>text</c> parts concatenated; null when absent.</param>
/// <param name="TextParts">OpenAI's <c>text</c> parts one by one (a string content is one part); Ollama's content is one part.</param>
/// <param name="Images">Ollama's <c>images</c> or OpenAI's <c>image_url</c> parts, in order.</param>
/// <param name="ToolCalls">An assistant message's tool calls.</param>
/// <param name="ToolCallId">OpenAI's <c>tool_call_id</c> of a <c>tool</c> message.</param>
/// <param name="ToolName">Ollama's <c>tool_name</c> of a <c>tool</c> message (OpenAI's <c>name</c>, when sent).</param>
/// <param name="Thinking">Ollama's <c>thinking</c> or OpenAI's <c>reasoning_content</c> of an assistant message.</param>
public sealed record SimulatedMessage(
    string Role,
    string? Content,
    IReadOnlyList<string> TextParts,
    IReadOnlyList<SimulatedImage> Images,
    IReadOnlyList<SimulatedToolCall> ToolCalls,
    string? ToolCallId = null,
    string? ToolName = null,
    string? Thinking = null);

/// <summary>An image a message carried. Inline images are decoded and measured; a remote URL is recorded, never fetched.</summary>
/// <param name="MediaType">From a data URL's header, or sniffed from the bytes (<c>image/png</c>, <c>image/jpeg</c>, <c>image/gif</c>, <c>image/webp</c>, else <c>application/octet-stream</c>).</param>
/// <param name="ByteLength">Decoded length; 0 for a remote URL.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the decoded bytes; null for a remote URL.</param>
/// <param name="Url">The remote URL of an OpenAI <c>image_url</c> part that is not a data URL.</param>
/// <param name="Detail">OpenAI's <c>image_url.detail</c>, when sent.</param>
public sealed record SimulatedImage(string MediaType, int ByteLength, string? Sha256, string? Url = null, string? Detail = null);

/// <summary>A tool call: one the client sent back in an assistant message, or one the simulator answered.</summary>
/// <param name="Id">OpenAI's <c>id</c> (<c>call_…</c>); Ollama's <c>id</c> when sent.</param>
/// <param name="Name">The function's name.</param>
/// <param name="ArgumentsJson">The arguments as JSON text: OpenAI's <c>arguments</c> string as is, Ollama's <c>arguments</c> object as raw JSON.</param>
/// <param name="Index">Ollama's <c>function.index</c>, when sent.</param>
public sealed record SimulatedToolCall(string? Id, string Name, string ArgumentsJson, int? Index = null);

/// <summary>A tool definition the request offered.</summary>
/// <param name="ParametersJson">The JSON schema of the parameters as raw JSON; null when absent.</param>
public sealed record SimulatedTool(string Name, string? Description, string? ParametersJson, string Type = "function");

/// <summary>The structured output a request asked for.</summary>
/// <param name="Type">Ollama: <c>json</c> (<c>"format":"json"</c>) or <c>json_schema</c> (a schema object); OpenAI: <c>response_format.type</c> (<c>text</c>, <c>json_object</c>, <c>json_schema</c>).</param>
/// <param name="SchemaJson">The schema as raw JSON (Ollama's <c>format</c> object, OpenAI's <c>json_schema.schema</c>).</param>
/// <param name="Name">OpenAI's <c>json_schema.name</c>.</param>
/// <param name="Strict">OpenAI's <c>json_schema.strict</c>.</param>
public sealed record SimulatedResponseFormat(string Type, string? SchemaJson = null, string? Name = null, bool? Strict = null)
{
    /// <summary>True when the answer must be a JSON object (every type but <c>text</c>).</summary>
    public bool WantsJson => !string.Equals(Type, "text", StringComparison.Ordinal);
}
