using Router.WebFront.Completions;

namespace Router.WebFront.Surfaces.OpenAi;

/// <summary>Encodes a flow as OpenAI's streaming chat completion.</summary>
internal static class OpenAiStreaming
{
    public static string CompletionId(CompletionFlow flow) => $"chatcmpl-{flow.RequestId:N}";

    public static async Task StreamAsync(HttpContext context, CompletionFlow flow, ChatRequest request)
    {
        var aborted = context.RequestAborted;
        var response = context.Response;
        RoutingHeaders.BeginStream(response, "text/event-stream");
        using var sse = new OpenAiSseWriter(response.BodyWriter, CompletionId(flow), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        try
        {
            await response.StartAsync(aborted);
            sse.WriteDelta(flow.Ticket.Model, "assistant", "", null);
            await sse.FlushAsync(aborted);
            while (true)
            {
                var e = await flow.NextAsync();
                switch (e.Kind)
                {
                    case FlowEventKind.Chunk:
                        sse.WriteDelta(e.Model, null, e.Text, null);
                        break;
                    case FlowEventKind.KeepAlive:
                        sse.WriteKeepAlive();
                        break;
                    case FlowEventKind.Done:
                        sse.WriteDelta(e.Model, null, null, "stop");
                        if (request.IncludeUsage) sse.WriteUsage(e.Model, e.Summary!);
                        sse.WriteDone();
                        break;
                    default:
                        // No [DONE] after a failure: a client must not take a cut answer for a whole one.
                        sse.WriteError(OpenAiError.From(e.Error!));
                        break;
                }

                if (e.IsTerminal || !flow.HasBuffered) await sse.FlushAsync(aborted);
                if (e.IsTerminal) return;
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
        }
    }
}
