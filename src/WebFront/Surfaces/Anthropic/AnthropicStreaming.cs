using Router.WebFront.Completions;

namespace Router.WebFront.Surfaces.Anthropic;

/// <summary>Encodes a flow as Anthropic's streamed message.</summary>
internal static class AnthropicStreaming
{
    public static async Task StreamAsync(HttpContext context, CompletionFlow flow, MessagesRequest request)
    {
        var aborted = context.RequestAborted;
        var response = context.Response;
        var estimate = request.Input.EstimatedPromptTokens();
        RoutingHeaders.BeginStream(response, "text/event-stream");
        using var sse = new AnthropicSseWriter(response.BodyWriter);
        var blocks = new AnswerBlocks(sse, request.OmitThinking);
        try
        {
            await response.StartAsync(aborted);

            // The backend counts the prompt only at the end: message_start carries the router's estimate,
            // message_delta the backend's count.
            sse.WriteMessageStart(AnthropicIds.Message(flow), flow.Ticket.Model, estimate);
            await sse.FlushAsync(aborted);
            while (true)
            {
                var e = await flow.NextAsync();
                switch (e.Kind)
                {
                    case FlowEventKind.Chunk:
                        blocks.Add(e);
                        break;
                    case FlowEventKind.KeepAlive:
                        sse.WritePing();
                        break;
                    case FlowEventKind.Done:
                        blocks.Finish();
                        var summary = e.Summary!;
                        sse.WriteMessageDelta(StopReasons.Of(summary.FinishReason, blocks.HasToolUse, summary.StopSequence), summary.StopSequence,
                            summary.PromptTokens ?? estimate, summary.OutputTokens ?? 0, e.Cost);
                        sse.WriteMessageStop();
                        break;
                    default:
                        // No message_stop after a failure: a client must not take a cut answer for a whole one.
                        sse.WriteError(AnthropicError.From(e.Error!), AnthropicIds.Request(flow));
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

/// <summary>The ids Anthropic's clients see: <c>msg_…</c> for the message, <c>req_…</c> for the request (the <c>request-id</c> header).</summary>
internal static class AnthropicIds
{
    public static string Message(CompletionFlow flow) => $"msg_{flow.RequestId:N}";

    public static string Request(CompletionFlow flow) => $"req_{flow.RequestId:N}";
}
