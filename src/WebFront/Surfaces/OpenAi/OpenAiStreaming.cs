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
        try
        {
            // The 200 waits for the first event: a backend that refuses the request (or a model that
            // is missing) then answers with an HTTP error in OpenAI's shape, as OpenAI itself does,
            // instead of an error inside a stream. A keep-alive starts the stream, so a slow first
            // token still gets its keep-alives.
            var e = await flow.NextAsync();
            if (e.Kind == FlowEventKind.Error)
            {
                await OpenAiEndpoints.WriteErrorAsync(response, OpenAiError.From(e.Error!));
                return;
            }

            RoutingHeaders.BeginStream(response, "text/event-stream");
            using var sse = new OpenAiSseWriter(response.BodyWriter, CompletionId(flow), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            await response.StartAsync(aborted);
            sse.WriteRole(flow.Ticket.Model);
            var calledTools = false;
            while (true)
            {
                switch (e.Kind)
                {
                    case FlowEventKind.Chunk:
                        // Thinking comes before text within a chunk; each goes in a delta of its own.
                        if (!string.IsNullOrEmpty(e.Reasoning)) sse.WriteReasoning(e.Model, e.Reasoning);
                        if (e.Text.Length > 0) sse.WriteContent(e.Model, e.Text);
                        if (e.ToolCalls is { Count: > 0 } calls)
                        {
                            sse.WriteToolCalls(e.Model, calls);
                            calledTools = true;
                        }

                        break;
                    case FlowEventKind.KeepAlive:
                        sse.WriteKeepAlive();
                        break;
                    case FlowEventKind.Done:
                        sse.WriteFinish(e.Model, e.Summary!.FinishReason ?? (calledTools ? "tool_calls" : "stop"));
                        if (request.IncludeUsage) sse.WriteUsage(e.Model, e.Summary, e.Cost);
                        sse.WriteDone();
                        break;
                    default:
                        // No [DONE] after a failure: a client must not take a cut answer for a whole one.
                        sse.WriteError(OpenAiError.From(e.Error!));
                        break;
                }

                if (e.IsTerminal || !flow.HasBuffered) await sse.FlushAsync(aborted);
                if (e.IsTerminal) return;
                e = await flow.NextAsync();
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
        }
    }
}
