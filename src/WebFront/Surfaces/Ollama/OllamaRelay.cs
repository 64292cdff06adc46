using System.Diagnostics;
using Router.Grains.Interfaces;
using Router.WebFront.Completions;

namespace Router.WebFront.Surfaces.Ollama;

/// <summary>
/// Encodes a <see cref="CompletionFlow"/> as Ollama answers. Nothing is sent before the first real
/// event, as Ollama sends nothing while a model loads: a failure up to then is an HTTP status with
/// <c>{"error"}</c>; after it, a last <c>{"error"}</c> line ends the stream, never a made-up <c>done</c>.
/// </summary>
internal static class OllamaRelay
{
    public const string NdjsonContentType = "application/x-ndjson";

    public static async Task StreamAsync(HttpContext context, CompletionFlow flow, OllamaOperation operation, ILogger logger)
    {
        var aborted = context.RequestAborted;
        var response = context.Response;
        using var writer = new OllamaNdjsonWriter(response.BodyWriter, operation);
        var started = false;
        try
        {
            while (true)
            {
                var e = await flow.NextAsync();
                // NDJSON has no comment lines; an idle connection stays open without them.
                if (e.Kind == FlowEventKind.KeepAlive) continue;
                if (!started)
                {
                    if (e.Kind == FlowEventKind.Error)
                    {
                        await RejectAsync(context, writer, flow, e.Error!);
                        return;
                    }

                    RoutingHeaders.BeginStream(response, NdjsonContentType);
                    RoutingHeaders.Write(response, flow);
                    started = true;
                }

                switch (e.Kind)
                {
                    case FlowEventKind.Chunk:
                        writer.WriteChunk(e.Model, e.Text, e.Reasoning, e.ToolCalls);
                        break;
                    case FlowEventKind.Done:
                        writer.WriteDone(e.Model, null, OllamaAnswer.DoneReason(e.Summary!), Figures(flow, e.Summary!), newline: true, e.Cost);
                        break;
                    default:
                        writer.WriteError(e.Error!.Message, newline: true);
                        break;
                }

                if (e.IsTerminal || !flow.HasBuffered) await writer.FlushAsync(aborted);
                if (e.IsTerminal) return;
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (!aborted.IsCancellationRequested && !flow.Terminal)
        {
            OllamaLog.RelayFailed(logger, ex, flow.RequestId);
            await FailAsync(context, writer, flow, started);
        }
    }

    /// <summary><c>"stream": false</c>: the whole answer (text, thinking, tool calls) in one object, or an error status when it failed.</summary>
    public static async Task CollectAsync(HttpContext context, CompletionFlow flow, OllamaOperation operation, ILogger logger)
    {
        var aborted = context.RequestAborted;
        var response = context.Response;
        using var writer = new OllamaNdjsonWriter(response.BodyWriter, operation);
        var answer = new OllamaAnswer();
        try
        {
            while (true)
            {
                var e = await flow.NextAsync();
                switch (e.Kind)
                {
                    case FlowEventKind.Chunk:
                        answer.Add(e.Text, e.Reasoning, e.ToolCalls);
                        continue;
                    case FlowEventKind.KeepAlive:
                        continue;
                    case FlowEventKind.Error:
                        await RejectAsync(context, writer, flow, e.Error!);
                        return;
                }

                response.StatusCode = StatusCodes.Status200OK;
                response.ContentType = "application/json; charset=utf-8";
                RoutingHeaders.Write(response, flow);
                Spend.CostHeaders.Write(context.Response, e.Cost);
                writer.WriteDone(e.Model, answer, OllamaAnswer.DoneReason(e.Summary!), Figures(flow, e.Summary!), newline: false, e.Cost);
                await writer.FlushAsync(aborted);
                return;
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (!aborted.IsCancellationRequested && !flow.Terminal)
        {
            OllamaLog.RelayFailed(logger, ex, flow.RequestId);
            await FailAsync(context, writer, flow, started: false);
        }
    }

    /// <summary>An error body with its status, before anything of the answer was sent.</summary>
    public static async Task WriteErrorAsync(HttpContext context, int status, string message)
    {
        using var writer = new OllamaNdjsonWriter(context.Response.BodyWriter, OllamaOperation.Chat);
        await WriteErrorAsync(context, writer, status, message);
    }

    private static Task RejectAsync(HttpContext context, OllamaNdjsonWriter writer, CompletionFlow flow, CompletionError error)
    {
        RoutingHeaders.Write(context.Response, flow);
        return WriteErrorAsync(context, writer, OllamaErrors.StatusFor(error.Code), error.Message);
    }

    private static Task FailAsync(HttpContext context, OllamaNdjsonWriter writer, CompletionFlow flow, bool started)
    {
        const string message = "The router failed while relaying this answer.";
        if (!started) return RejectAsync(context, writer, flow, new CompletionError(ErrorCodes.Internal, message));
        writer.WriteError(message, newline: true);
        return writer.FlushAsync(CancellationToken.None).AsTask();
    }

    private static async Task WriteErrorAsync(HttpContext context, OllamaNdjsonWriter writer, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        writer.WriteError(message, newline: false);
        await writer.FlushAsync(context.RequestAborted);
    }

    /// <summary>
    /// The router's own clock: the prompt evaluation runs until the first token (classification and
    /// routing included), the evaluation from there to the end.
    /// </summary>
    private static OllamaFigures Figures(CompletionFlow flow, CompletionSummary summary)
    {
        var totalNs = Stopwatch.GetElapsedTime(flow.Started).Ticks * 100;
        var promptNs = flow.TimeToFirstTokenMs is { } ms ? Math.Min((long)(ms * 1_000_000), totalNs) : totalNs;
        return new OllamaFigures(summary.PromptTokens, summary.OutputTokens, totalNs, promptNs, totalNs - promptNs);
    }
}
