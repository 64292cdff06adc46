using System.Diagnostics;
using Microsoft.Extensions.Options;
using Router.WebFront.Auth;
using Router.WebFront.Completions;
using Router.WebFront.Options;
using Router.WebFront.Surfaces;

namespace Router.WebFront.Surfaces.OpenAi;

/// <summary>The OpenAI-compatible surface: <c>POST /v1/chat/completions</c> and <c>GET /v1/models</c>, over the routing core.</summary>
public static class OpenAiEndpoints
{
    public static IEndpointRouteBuilder MapOpenAiApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/chat/completions", ChatAsync).WithName("ChatCompletions")
            .WithSummary("OpenAI-compatible chat completions; model \"auto\" routes through the classifier.");
        app.MapGet("/v1/models", Models).WithName("Models");
        return app;
    }

    private static async Task Models(HttpContext context, RequestIdentity identity, ServedModels models)
    {
        if ((await identity.ResolveAsync(context.Request)).Problem is { } problem)
        {
            await WriteErrorAsync(context.Response, OpenAiError.FromProblem(problem));
            return;
        }

        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await TypedResults.Json(new
        {
            @object = "list",
            data = models.Listing.Select(m => new { id = m.Name, @object = "model", created, owned_by = m.AliasOf is null ? m.Kind : $"alias of {m.AliasOf}" }),
        }).ExecuteAsync(context);
    }

    private static async Task ChatAsync(HttpContext context, CompletionCore core, RequestIdentity identity, IOptions<WebFrontOptions> options, ServedModels models, ILogger<CompletionCore> logger)
    {
        var started = Stopwatch.GetTimestamp();
        var aborted = context.RequestAborted;
        var (userId, keyId, problem) = await identity.ResolveAsync(context.Request);
        if (problem is not null || userId is null)
        {
            await RejectAsync(context, core, logger, "?", problem is null or { Status: 400 } ? OpenAiError.Invalid(problem?.Detail ?? "Invalid user id.") : OpenAiError.FromProblem(problem), started);
            return;
        }

        if (core.IsDraining)
        {
            await RejectAsync(context, core, logger, userId, new OpenAiError(503, RequestProblems.ShuttingDown.Detail, "server_error", "shutting_down"), started);
            return;
        }

        var (request, error) = await ChatRequestReader.ReadAsync(context.Request, options.Value.MaxChatBodyBytes, options.Value.MaxMessageBytes, aborted);
        if (request is null)
        {
            await RejectAsync(context, core, logger, userId, error!, started);
            return;
        }

        // Aliases apply as on every surface; an unknown name goes on to the session, which answers model_not_found.
        var named = models.Resolve(request.Model) is { } resolution ? resolution.Model : request.NamedModel;
        var flow = await core.StartAsync(new CompletionCommand(userId, request.Message, named, Settings: request.Settings, KeyId: keyId, Input: request.Input), started, aborted);
        if (flow is null)
        {
            await RejectAsync(context, core, logger, userId, new OpenAiError(503, RequestProblems.ClusterUnavailable.Detail, "server_error", "silo_unavailable"), started);
            return;
        }

        if (flow.Refusal is { } refusal)
        {
            RateLimitHeaders.Write(context.Response, refusal.Decision);
            await RejectAsync(context, core, logger, userId, OpenAiError.FromProblem(refusal.Problem!), started);
            return;
        }

        await using (flow)
        {
            RoutingHeaders.Write(context.Response, flow);
            if (flow.Ticket.Error is { } startError)
            {
                await WriteErrorAsync(context.Response, OpenAiError.From(startError));
            }
            else if (request.Stream)
            {
                await OpenAiStreaming.StreamAsync(context, flow, request);
            }
            else
            {
                await OpenAiCompletion.CollectAsync(context, flow);
            }
        }
    }

    private static async Task RejectAsync(HttpContext context, CompletionCore core, ILogger logger, string userId, OpenAiError error, long started)
    {
        RequestProblems.Count(core, logger, userId, new RequestProblem(error.Status, error.Code ?? error.Type, error.Type, error.Message), started);
        await WriteErrorAsync(context.Response, error);
    }

    internal static async Task WriteErrorAsync(HttpResponse response, OpenAiError error)
    {
        response.StatusCode = error.Status;
        response.ContentType = "application/json";
        using (var json = new System.Text.Json.Utf8JsonWriter(response.BodyWriter, OpenAiSseWriter.RelaxedJson))
        {
            OpenAiSseWriter.WriteErrorObject(json, error);
        }

        await response.BodyWriter.FlushAsync(response.HttpContext.RequestAborted);
    }
}
