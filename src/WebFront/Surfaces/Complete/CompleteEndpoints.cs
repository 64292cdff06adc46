using System.Diagnostics;
using Router.Grains.Interfaces;
using Router.WebFront.Auth;
using Router.WebFront.Completions;
using Router.WebFront.Diagnostics;

namespace Router.WebFront.Surfaces.Complete;

/// <summary>
/// <c>POST /complete</c>, the seed's surface: reads <c>{"message": …}</c>, runs it through the
/// <see cref="CompletionCore"/> and encodes the answer as the seed's SSE events (<see cref="SseWriter"/>),
/// each with its sequence number as SSE <c>id</c>. <c>GET /complete/{request_id}</c> with
/// <c>Last-Event-ID</c> resumes such an answer, on any web front, for the same user.
/// </summary>
public static class CompleteEndpoints
{
    public static IEndpointRouteBuilder MapComplete(this IEndpointRouteBuilder app)
    {
        app.MapPost("/complete", HandleAsync)
            .WithName("Complete")
            .WithSummary("Routes a prompt to the best model and streams the answer as Server-Sent Events.");
        app.MapGet("/complete/{requestId}", ResumeAsync)
            .WithName("ResumeComplete")
            .WithSummary("Resumes an answer of POST /complete after the event named by Last-Event-ID.");
        return app;
    }

    private static async Task HandleAsync(HttpContext context, CompletionCore core, RequestIdentity identity,
        Microsoft.Extensions.Options.IOptions<Options.WebFrontOptions> limits, ILogger<CompletionCore> logger)
    {
        var started = Stopwatch.GetTimestamp();
        var (userId, keyId, problem) = await identity.ResolveAsync(context.Request);
        string? message = null;
        if (problem is null)
        {
            (message, problem) = await CompletionRequestReader.ReadAsync(
                context.Request, limits.Value.MaxBodyBytes, limits.Value.MaxMessageBytes, context.RequestAborted);
        }

        if (problem is null && core.IsDraining)
        {
            problem = RequestProblems.ShuttingDown;
        }

        if (problem is not null || userId is null || message is null)
        {
            problem ??= new RequestProblem(StatusCodes.Status400BadRequest, "invalid_request", "Invalid request", "The request could not be read.");
            await RequestProblems.RejectAsync(context, core, logger, userId ?? "?", problem, started);
            return;
        }

        var flow = await core.StartAsync(new CompletionCommand(userId, message, KeyId: keyId, Resumable: true, Conversation: true), started, context.RequestAborted);
        if (flow is null)
        {
            await RequestProblems.RejectAsync(context, core, logger, userId, RequestProblems.ClusterUnavailable, started);
            return;
        }

        if (flow.Refusal is { } refusal)
        {
            RateLimitHeaders.Write(context.Response, refusal.Decision);
            await RequestProblems.RejectAsync(context, core, logger, userId, refusal.Problem!, started);
            return;
        }

        await using (flow)
        {
            await StreamAsync(context, flow, userId);
        }
    }

    private static async Task ResumeAsync(HttpContext context, string requestId, CompletionCore core, RequestIdentity identity, ILogger<CompletionCore> logger)
    {
        var started = Stopwatch.GetTimestamp();
        var (userId, _, problem) = await identity.ResolveAsync(context.Request);
        var after = -1;
        if (problem is null && core.IsDraining) problem = RequestProblems.ShuttingDown;
        if (problem is null && !ResumeRequestReader.TryReadLastEventId(context.Request, out after))
        {
            problem = RequestProblems.Invalid("invalid_last_event_id", "Last-Event-ID must be the id of an event of this answer (a whole number).");
        }

        if (problem is not null || userId is null)
        {
            await RequestProblems.RejectAsync(context, core, logger, userId ?? "?", problem ?? RequestProblems.ResumeNotFound, started);
            return;
        }

        // Another user's answer is a 404 like an unknown one: its existence is not given away.
        var (flow, lanesReady) = Guid.TryParse(requestId, out var id)
            ? await core.ResumeAsync(userId, id, after, started, context.RequestAborted)
            : (null, true);
        if (flow is null)
        {
            await RequestProblems.RejectAsync(context, core, logger, userId, lanesReady ? RequestProblems.ResumeNotFound : RequestProblems.ClusterUnavailable, started);
            return;
        }

        await using (flow)
        {
            await StreamAsync(context, flow, userId);
        }
    }

    private static async Task StreamAsync(HttpContext context, CompletionFlow flow, string userId)
    {
        var aborted = context.RequestAborted;
        var response = context.Response;
        RoutingHeaders.BeginStream(response, "text/event-stream");
        RoutingHeaders.Write(response, flow);

        using var sse = new SseWriter(response.BodyWriter, userId);
        try
        {
            await response.StartAsync(aborted);
            while (true)
            {
                var e = await flow.NextAsync();
                if (e.Sequence is { } id) sse.WriteId(id);
                switch (e.Kind)
                {
                    case FlowEventKind.Chunk:
                        sse.WriteToken(e.Model, e.Text, e.Reasoning);
                        break;
                    case FlowEventKind.KeepAlive:
                        sse.WriteKeepAlive();
                        break;
                    case FlowEventKind.Done:
                        sse.WriteDone(e.Model, flow.RequestId, e.Summary!, e.Cost);
                        break;
                    default:
                        sse.WriteError(e.Model, flow.RequestId, e.Error!.Code, e.Error.Message);
                        break;
                }

                if (e.IsTerminal)
                {
                    await sse.FlushAsync(aborted);
                    return;
                }

                if (!flow.HasBuffered) await sse.FlushAsync(aborted);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (!aborted.IsCancellationRequested && !flow.Terminal)
        {
            // The relay itself failed: still end with an error event.
            WebFrontLog.StartFailed(context.RequestServices.GetRequiredService<ILogger<CompletionCore>>(), ex, flow.RequestId);
            sse.WriteError(flow.Ticket.Model, flow.RequestId, ErrorCodes.Internal, "The router failed while relaying this answer.");
            await sse.FlushAsync(CancellationToken.None);
        }
    }
}
