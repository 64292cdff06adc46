using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Router.WebFront.Completions;

namespace Router.WebFront.Surfaces.Complete;

/// <summary>
/// Parses a complete <c>POST /complete</c> body: <c>{"message": "..."}</c>. Every token is visited
/// once, so a body is checked whole (encoding, escapes, depth) before its message is accepted.
/// </summary>
internal static class CompletionBodyParser
{
    /// <summary>Deepest nesting accepted; the body needs one level, anything far deeper is an attack or a mistake.</summary>
    public const int MaxDepth = 16;

    // The reader's own limit sits one above ours as a backstop: our check answers first, with its own code.
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = MaxDepth + 1 };

    public static (string? Message, RequestProblem? Problem) Parse(ReadOnlySpan<byte> body, int maxMessageBytes)
    {
        // Utf8JsonReader does not check the bytes inside strings, and GetString throws on invalid
        // ones; checking the whole body first turns both into one 400.
        if (!Utf8.IsValid(body))
        {
            return (null, RequestProblems.Invalid("invalid_utf8", "The body is not valid UTF-8."));
        }

        // RFC 8259 lets a parser ignore a byte order mark; Utf8JsonReader would call it invalid JSON.
        if (body.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) body = body[3..];

        string? message = null;
        var seen = false;
        RequestProblem? refused = null;
        try
        {
            var json = new Utf8JsonReader(body, ReaderOptions);
            if (!json.Read() || json.TokenType != JsonTokenType.StartObject)
            {
                return (null, RequestProblems.Invalid("invalid_body", "The body must be a JSON object: {\"message\": \"...\"}."));
            }

            while (json.Read() && json.TokenType != JsonTokenType.EndObject)
            {
                if (CheckToken(ref json) is { } nameProblem) return (null, nameProblem);
                var isMessage = json.ValueTextEquals("message"u8);
                json.Read();
                if (!isMessage)
                {
                    if (SkipValue(ref json) is { } valueProblem) return (null, valueProblem);
                    continue;
                }

                // Two messages are ambiguous: parsers that keep the first and those that keep the
                // last would disagree about what was asked, so neither is picked.
                if (seen)
                {
                    refused = RequestProblems.Invalid("duplicate_message", "The body has more than one 'message' field.");
                    if (SkipValue(ref json) is { } valueProblem) return (null, valueProblem);
                    continue;
                }

                seen = true;
                (message, var problem) = ReadMessage(ref json, maxMessageBytes);
                if (problem is { Code: "invalid_unicode_escape" or "json_too_deep" }) return (null, problem);
                refused ??= problem;
            }

            // Anything after the object is not valid JSON either.
            while (json.Read())
            {
            }
        }
        catch (JsonException)
        {
            return (null, RequestProblems.Invalid("invalid_json", "The body is not valid JSON."));
        }

        // Problems with the message count only once the whole body is known to be well formed.
        if (refused is not null) return (null, refused);
        if (message is null) return (null, RequestProblems.Invalid("message_missing", "The body has no 'message' field."));
        if (string.IsNullOrWhiteSpace(message)) return (null, RequestProblems.Invalid("message_empty", "The 'message' field is empty."));
        return (message, null);
    }

    private static (string? Message, RequestProblem? Problem) ReadMessage(ref Utf8JsonReader json, int maxMessageBytes)
    {
        if (json.TokenType == JsonTokenType.Null) return (null, null);
        if (json.TokenType != JsonTokenType.String)
        {
            var nested = SkipValue(ref json);
            return (null, nested ?? RequestProblems.Invalid("message_not_string", "The 'message' field must be a string."));
        }

        if (!TryGetString(ref json, out var message))
        {
            return (null, InvalidEscape());
        }

        // The escaped length bounds the decoded one from above; count bytes only when it might be too long.
        var length = json.HasValueSequence ? json.ValueSequence.Length : json.ValueSpan.Length;
        if (length > maxMessageBytes && Encoding.UTF8.GetByteCount(message) > maxMessageBytes)
        {
            return (null, new RequestProblem(StatusCodes.Status413PayloadTooLarge, "message_too_large", "Message too large",
                $"The 'message' field is longer than {maxMessageBytes} bytes."));
        }

        return (message, null);
    }

    /// <summary>Walks past the value the reader is on, checking every token inside it.</summary>
    private static RequestProblem? SkipValue(ref Utf8JsonReader json)
    {
        if (json.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            return CheckToken(ref json);
        }

        var depth = json.CurrentDepth;
        while (true)
        {
            if (CheckToken(ref json) is { } problem) return problem;
            if (json.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray && json.CurrentDepth == depth) return null;
            json.Read();
        }
    }

    private static RequestProblem? CheckToken(ref Utf8JsonReader json)
    {
        switch (json.TokenType)
        {
            case JsonTokenType.StartObject or JsonTokenType.StartArray when json.CurrentDepth >= MaxDepth:
                return RequestProblems.Invalid("json_too_deep", $"The body nests deeper than {MaxDepth} levels.");
            case JsonTokenType.String or JsonTokenType.PropertyName when json.ValueIsEscaped && !TryGetString(ref json, out _):
                return InvalidEscape();
            default:
                return null;
        }
    }

    /// <summary>Decodes the string token; false when its escapes make no valid text (a lone surrogate).</summary>
    private static bool TryGetString(ref Utf8JsonReader json, out string value)
    {
        try
        {
            value = json.GetString() ?? "";
            return true;
        }
        catch (InvalidOperationException)
        {
            value = "";
            return false;
        }
    }

    private static RequestProblem InvalidEscape() =>
        RequestProblems.Invalid("invalid_unicode_escape", "The body has a \\u escape that is not valid text (a lone surrogate).");
}
