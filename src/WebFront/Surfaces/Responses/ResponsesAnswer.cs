using Router.WebFront.Completions;

namespace Router.WebFront.Surfaces.Responses;

/// <summary>
/// Encodes a flow as the Responses API's answer: streamed events, or the response object whole. A
/// finished response is kept (when asked) before its last event or body goes out, so a continuation
/// sent the moment the client has it finds it, from any web front.
/// </summary>
internal static class ResponsesAnswer
{
    /// <summary>
    /// The events, in the API's order. Nothing is sent before the answer's first item: a failure
    /// before it (a model that does not exist, a backend's refusal) is an HTTP error as without
    /// streaming; after it, an <c>error</c> event and <c>response.failed</c> end the stream.
    /// </summary>
    public static async Task StreamAsync(HttpContext context, CompletionFlow flow, ResponseDraft draft, Func<byte[], Task> save)
    {
        var aborted = context.RequestAborted;
        var response = context.Response;
        using var sse = new ResponsesSseWriter(response.BodyWriter);
        var output = new ResponseOutput(draft, sse);
        var begun = false;
        try
        {
            while (true)
            {
                var e = await flow.NextAsync();
                if (!begun)
                {
                    if (e.Kind == FlowEventKind.Error)
                    {
                        await ResponsesError.From(e.Error!).WriteAsync(response);
                        return;
                    }

                    RoutingHeaders.BeginStream(response, "text/event-stream");
                    await response.StartAsync(aborted);
                    sse.WriteResponse("response.created", draft);
                    sse.WriteResponse("response.in_progress", draft);
                    begun = true;
                }

                switch (e.Kind)
                {
                    case FlowEventKind.Chunk:
                        Apply(output, e);
                        break;
                    case FlowEventKind.KeepAlive:
                        sse.WriteKeepAlive();
                        break;
                    case FlowEventKind.Done:
                        Finish(draft, output, e);
                        await save(ResponseObjectWriter.ToUtf8(draft));
                        sse.WriteResponse(draft.Status == "incomplete" ? "response.incomplete" : "response.completed", draft);
                        break;
                    default:
                        var json = sse.Begin("error");
                        json.WriteString("code"u8, e.Error!.Code);
                        json.WriteString("message"u8, e.Error.Message);
                        json.WriteNull("param"u8);
                        sse.End();
                        Fail(draft, e);
                        sse.WriteResponse("response.failed", draft);
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

    /// <summary>The whole response object; a failure before the end is an HTTP error in OpenAI's shape.</summary>
    public static async Task CollectAsync(HttpContext context, CompletionFlow flow, ResponseDraft draft, Func<byte[], Task> save)
    {
        var output = new ResponseOutput(draft, null);
        while (true)
        {
            var e = await flow.NextAsync();
            switch (e.Kind)
            {
                case FlowEventKind.Chunk:
                    Apply(output, e);
                    break;
                case FlowEventKind.Done:
                    Finish(draft, output, e);
                    var body = ResponseObjectWriter.ToUtf8(draft);
                    await save(body);
                    Spend.CostHeaders.Write(context.Response, e.Cost);
                    context.Response.ContentType = "application/json";
                    await context.Response.Body.WriteAsync(body, context.RequestAborted);
                    return;
                case FlowEventKind.Error:
                    await ResponsesError.From(e.Error!).WriteAsync(context.Response);
                    return;
            }
        }
    }

    private static void Apply(ResponseOutput output, FlowEvent e)
    {
        if (e.Reasoning is { Length: > 0 } reasoning) output.Reasoning(reasoning);
        if (e.Text.Length > 0) output.Text(e.Text);
        foreach (var call in e.ToolCalls ?? []) output.ToolCall(call);
    }

    private static void Finish(ResponseDraft draft, ResponseOutput output, FlowEvent e)
    {
        draft.Model = e.Model.Length > 0 ? e.Model : draft.Model;
        draft.Finish(e.Summary!);
        draft.Cost = e.Cost;
        output.Close(draft.Status == "incomplete" ? "incomplete" : "completed");
    }

    /// <summary>The failed response's error in the API's words (<c>server_error</c>, <c>rate_limit_exceeded</c>); the router's own code is in the <c>error</c> event.</summary>
    private static void Fail(ResponseDraft draft, FlowEvent e)
    {
        draft.Status = "failed";
        var code = ResponsesError.From(e.Error!).Status == StatusCodes.Status429TooManyRequests ? "rate_limit_exceeded" : "server_error";
        draft.Error = (code, e.Error!.Message);
    }
}
