using System.Buffers;
using Microsoft.Extensions.Options;
using Router.WebFront.Completions;
using Router.WebFront.Options;

namespace Router.WebFront.Surfaces.Complete;

/// <summary>Reads and validates the body of <c>POST /complete</c>: <c>{"message": "..."}</c>.</summary>
public static class CompletionRequestReader
{
    /// <summary>The message, or the problem that stops the request before its stream starts.</summary>
    /// <param name="bodyReadTimeout">How long the whole body may take to arrive; null: <c>WebFront:BodyReadTimeout</c>.</param>
    public static async Task<(string? Message, RequestProblem? Problem)> ReadAsync(HttpRequest request, int maxBodyBytes, int maxMessageBytes,
        CancellationToken cancellationToken, TimeSpan? bodyReadTimeout = null)
    {
        if (!JsonContentType.IsJson(request.ContentType))
        {
            return (null, RequestProblems.UnsupportedMediaType());
        }

        if (request.ContentLength > maxBodyBytes)
        {
            return (null, RequestProblems.BodyTooLarge(maxBodyBytes));
        }

        var timeout = bodyReadTimeout ?? request.HttpContext.RequestServices.GetService<IOptions<WebFrontOptions>>()?.Value.BodyReadTimeout
            ?? WebFrontOptions.DefaultBodyReadTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await ReadBodyAsync(request.BodyReader, maxBodyBytes, maxMessageBytes, deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            JsonBodyReader.CloseAfterResponse(request);
            return (null, RequestProblems.BodyTimeout(timeout));
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel's own limits (minimum data rate, broken chunked framing) surface here; the
            // connection is unusable after them.
            JsonBodyReader.CloseAfterResponse(request);
            return (null, ex.StatusCode switch
            {
                StatusCodes.Status408RequestTimeout => RequestProblems.BodyTimeout(null),
                StatusCodes.Status413PayloadTooLarge => RequestProblems.BodyTooLarge(maxBodyBytes),
                _ => RequestProblems.BodyUnreadable(),
            });
        }
    }

    private static async Task<(string? Message, RequestProblem? Problem)> ReadBodyAsync(System.IO.Pipelines.PipeReader reader, int maxBodyBytes,
        int maxMessageBytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            if (buffer.Length > maxBodyBytes)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                return (null, RequestProblems.BodyTooLarge(maxBodyBytes));
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

    internal static (string? Message, RequestProblem? Problem) Parse(ReadOnlySequence<byte> body, int maxMessageBytes) =>
        CompletionBodyParser.Parse(body.IsSingleSegment ? body.FirstSpan : body.ToArray(), maxMessageBytes);
}
