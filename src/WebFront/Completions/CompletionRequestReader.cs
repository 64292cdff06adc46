using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;

namespace Router.WebFront.Completions;

/// <summary>Reads and validates the body of <c>POST /complete</c>: <c>{"message": "..."}</c>.</summary>
public static class CompletionRequestReader
{
    /// <summary>The message, or the problem that stops the request before its stream starts.</summary>
    public static async Task<(string? Message, RequestProblem? Problem)> ReadAsync(HttpRequest request, int maxBodyBytes, int maxMessageBytes, CancellationToken cancellationToken)
    {
        if (!IsJson(request.ContentType))
        {
            return (null, new RequestProblem(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "Unsupported media type",
                "The body must be JSON (Content-Type: application/json)."));
        }

        if (request.ContentLength > maxBodyBytes)
        {
            return (null, BodyTooLarge(maxBodyBytes));
        }

        var reader = request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            if (buffer.Length > maxBodyBytes)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                return (null, BodyTooLarge(maxBodyBytes));
            }

            if (read.IsCompleted)
            {
                var result = Parse(buffer, maxMessageBytes);
                reader.AdvanceTo(buffer.End);
                return result;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    internal static (string? Message, RequestProblem? Problem) Parse(ReadOnlySequence<byte> body, int maxMessageBytes)
    {
        string? message = null;
        var found = false;
        try
        {
            var json = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 16 });
            if (!json.Read() || json.TokenType != JsonTokenType.StartObject)
            {
                return (null, Invalid("invalid_body", "The body must be a JSON object: {\"message\": \"...\"}."));
            }

            while (json.Read() && json.TokenType != JsonTokenType.EndObject)
            {
                var isMessage = json.ValueTextEquals("message"u8);
                json.Read();
                if (!isMessage)
                {
                    json.Skip();
                    continue;
                }

                if (json.TokenType == JsonTokenType.Null)
                {
                    found = false;
                    continue;
                }

                if (json.TokenType != JsonTokenType.String)
                {
                    return (null, Invalid("message_not_string", "The 'message' field must be a string."));
                }

                found = true;
                var length = json.HasValueSequence ? json.ValueSequence.Length : json.ValueSpan.Length;
                // The escaped length bounds the decoded one from above; decode only when it might be too long.
                if (length > maxMessageBytes && json.GetString() is { } big && Encoding.UTF8.GetByteCount(big) > maxMessageBytes)
                {
                    return (null, new RequestProblem(StatusCodes.Status413PayloadTooLarge, "message_too_large", "Message too large",
                        $"The 'message' field is longer than {maxMessageBytes} bytes."));
                }

                message = json.GetString();
            }

            // Anything after the object is not valid JSON either.
            while (json.Read())
            {
            }
        }
        catch (JsonException)
        {
            return (null, Invalid("invalid_json", "The body is not valid JSON."));
        }

        if (!found || message is null)
        {
            return (null, Invalid("message_missing", "The body has no 'message' field."));
        }

        if (string.IsNullOrWhiteSpace(message))
        {
            return (null, Invalid("message_empty", "The 'message' field is empty."));
        }

        return (message, null);
    }

    private static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType)) return false;
        var mediaType = contentType.AsSpan();
        var semicolon = mediaType.IndexOf(';');
        if (semicolon >= 0) mediaType = mediaType[..semicolon];
        mediaType = mediaType.Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }

    private static RequestProblem Invalid(string code, string detail) => new(StatusCodes.Status400BadRequest, code, "Invalid request", detail);

    private static RequestProblem BodyTooLarge(int max) =>
        new(StatusCodes.Status413PayloadTooLarge, "body_too_large", "Body too large", $"The request body is larger than {max} bytes.");
}
