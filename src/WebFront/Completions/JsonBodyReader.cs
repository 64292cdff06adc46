using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Router.WebFront.Options;

namespace Router.WebFront.Completions;

/// <summary>
/// Reads a JSON object body of bounded size and hands its root to a parser, for the surfaces whose
/// bodies are documents (chat requests, the dry run, the admin API). The same rules as
/// <c>POST /complete</c>: a JSON content type (or none, see <see cref="JsonContentType"/>), at most
/// <c>maxBodyBytes</c> held whether or not the body announced its length, and the whole body within
/// <c>WebFront:BodyReadTimeout</c> (408, connection closed, past it).
/// </summary>
public static class JsonBodyReader
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32 };

    public static async Task<(T? Value, RequestProblem? Problem)> ReadAsync<T>(
        HttpRequest request, int maxBodyBytes, Func<JsonElement, (T?, RequestProblem?)> parse, CancellationToken cancellationToken)
    {
        if (!JsonContentType.IsJsonOrAbsent(request.ContentType)) return (default, RequestProblems.UnsupportedMediaType());
        if (request.ContentLength > maxBodyBytes) return (default, RequestProblems.BodyTooLarge(maxBodyBytes));

        var timeout = request.HttpContext.RequestServices?.GetService<IOptions<WebFrontOptions>>()?.Value.BodyReadTimeout
            ?? WebFrontOptions.DefaultBodyReadTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await ReadBodyAsync(request.BodyReader, maxBodyBytes, parse, deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            CloseAfterResponse(request);
            return (default, RequestProblems.BodyTimeout(timeout));
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel's own limits (minimum data rate, broken chunked framing); the connection is unusable after them.
            CloseAfterResponse(request);
            return (default, ex.StatusCode switch
            {
                StatusCodes.Status408RequestTimeout => RequestProblems.BodyTimeout(null),
                StatusCodes.Status413PayloadTooLarge => RequestProblems.BodyTooLarge(maxBodyBytes),
                _ => RequestProblems.BodyUnreadable(),
            });
        }
    }

    private static async Task<(T? Value, RequestProblem? Problem)> ReadBodyAsync<T>(
        PipeReader reader, int maxBodyBytes, Func<JsonElement, (T?, RequestProblem?)> parse, CancellationToken cancellationToken)
    {
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

    /// <summary>
    /// A body that did not arrive in time is still owed on an HTTP/1 connection, so no next request
    /// can follow on it: it is closed after the problem is written. (HTTP/2 resets just the stream.)
    /// </summary>
    internal static void CloseAfterResponse(HttpRequest request)
    {
        if (HttpProtocol.IsHttp11(request.Protocol) || HttpProtocol.IsHttp10(request.Protocol))
        {
            request.HttpContext.Response.Headers.Connection = "close";
        }
    }
}
