using System.Text.Json;

namespace Router.WebFront.Completions;

/// <summary>
/// Reads a JSON object body of bounded size and hands its root to a parser, for the surfaces whose
/// bodies are documents (chat requests, the dry run, the admin API). The body is never held beyond
/// <c>maxBodyBytes</c>, whether or not it announced its length.
/// </summary>
public static class JsonBodyReader
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32 };

    public static async Task<(T? Value, RequestProblem? Problem)> ReadAsync<T>(
        HttpRequest request, int maxBodyBytes, Func<JsonElement, (T?, RequestProblem?)> parse, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBodyBytes) return (default, RequestProblems.BodyTooLarge(maxBodyBytes));
        var reader = request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            if (buffer.Length > maxBodyBytes)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                return (default, RequestProblems.BodyTooLarge(maxBodyBytes));
            }

            if (!read.IsCompleted)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            try
            {
                // Parsed before the buffer is released: the document may point into it.
                using var document = JsonDocument.Parse(buffer, DocumentOptions);
                return document.RootElement.ValueKind == JsonValueKind.Object
                    ? parse(document.RootElement)
                    : (default, RequestProblems.Invalid("invalid_body", "The body must be a JSON object."));
            }
            catch (JsonException)
            {
                return (default, RequestProblems.Invalid("invalid_json", "The body is not valid JSON."));
            }
            catch (InvalidOperationException)
            {
                // A string holding a lone surrogate escape cannot become UTF-16 text.
                return (default, RequestProblems.Invalid("invalid_unicode_escape", "The body has a string with a lone surrogate escape."));
            }
            finally
            {
                reader.AdvanceTo(buffer.End);
            }
        }
    }
}
