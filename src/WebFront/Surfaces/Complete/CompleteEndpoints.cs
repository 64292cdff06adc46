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
        app.MapPost("/complete", HandleAsync).WithSurfaceErrors(CompleteErrors.Instance).Generates()
            .WithName("Complete")
            .WithSummary("Routes a prompt to the best model and streams the answer as Server-Sent Events.");
        app.MapGet("/complete/{requestId}", ResumeAsync).WithSurfaceErrors(CompleteErrors.Instance).Generates()
            .WithName("ResumeComplete")
            .WithSummary("Resumes an answer of POST /complete after the event named by Last-Event-ID.");
        return app;
    }

    private static async Task HandleAsync(HttpContext context, Microsoft.Extensions.Options.IOptions<Options.WebFrontOptions> limits, ILogger<CompletionCore> logger)
    {
        if (await SurfaceAdmission.BeginAsync(context, CompleteErrors.Instance, logger) is not { } admission) return;
        var (message, problem) = await CompletionRequestReader.ReadAsync(
            context.Request, limits.Value.MaxBodyBytes, limits.Value.MaxMessageBytes, context.RequestAborted);
        if (problem is not null || message is null)
        {
            await admission.RejectAsync(problem);
            return;
        }

        var command = new CompletionCommand(admission.UserId, message, KeyId: admission.KeyId, Resumable: true, Conversation: true);
        if (await admission.StartAsync(command) is not { } flow) return;
        await using (flow)
        {
            await StreamAsync(context, flow, admission.UserId);
        }
    }

    private static async Task ResumeAsync(HttpContext context, string requestId, CompletionCore core, ILogger<CompletionCore> logger)
    {
        if (await SurfaceAdmission.BeginAsync(context, CompleteErrors.Instance, logger) is not { } admission) return;
        if (!ResumeRequestReader.TryReadLastEventId(context.Request, out var after))
        {
            await admission.RejectAsync(RequestProblems.Invalid("invalid_last_event_id", "Last-Event-ID must be the id of an event of this answer (a whole number)."));
            return;
        }

        // Another user's answer is a 404 like an unknown one: its existence is not given away.
        var (flow, lanesReady) = Guid.TryParse(requestId, out var id)
            ? await core.ResumeAsync(admission.UserId, id, after, admission.Started, context.RequestAborted)
            : (null, true);
        if (flow is null)
        {
            await admission.RejectAsync(lanesReady ? RequestProblems.ResumeNotFound : RequestProblems.ClusterUnavailable);
            return;
        }

        await using (flow)
        {
            await StreamAsync(context, flow, admission.UserId);
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
