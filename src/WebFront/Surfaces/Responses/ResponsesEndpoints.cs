using Microsoft.Extensions.Options;
using Router.Grains.Interfaces.Responses;
using Router.WebFront.Auth;
using Router.WebFront.Completions;
using Router.WebFront.Options;

namespace Router.WebFront.Surfaces.Responses;

/// <summary>
/// OpenAI's Responses API over the routing core: <c>POST /v1/responses</c> (streamed or not; model
/// <c>auto</c> routes through the classifier), and the stored responses of the caller —
/// <c>GET /v1/responses/{id}</c>, <c>DELETE /v1/responses/{id}</c> — kept on grains so that a
/// <c>previous_response_id</c> continues from any web front; the endpoints around a response are
/// <see cref="ResponsesItemsEndpoints"/>.
/// </summary>
public static class ResponsesEndpoints
{
    public static IServiceCollection AddResponsesApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptionsWithValidateOnStart<ResponsesOptions>().Bind(configuration.GetSection(ResponseStoreSettings.SectionName));
        services.AddSingleton<IValidateOptions<ResponsesOptions>, ResponsesOptionsValidator>();
        services.AddSingleton<ResponseChain>();
        return services;
    }

    public static IEndpointRouteBuilder MapResponsesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/responses").WithTags("Responses").WithSurfaceErrors(ResponsesErrors.Instance);
        api.MapPost("", CreateAsync).WithName("CreateResponse").Generates()
            .WithSummary("OpenAI's Responses API; model \"auto\" routes through the classifier.");
        api.MapGet("/{id}", GetAsync).WithName("GetResponse").WithSummary("A stored response of the caller.");
        api.MapDelete("/{id}", DeleteAsync).WithName("DeleteResponse").WithSummary("Forgets a stored response of the caller.");
        api.MapResponsesItems();
        return app;
    }

    private static async Task CreateAsync(HttpContext context, ResponseChain chain, IOptions<WebFrontOptions> options, ILogger<ResponseChain> logger)
    {
        var aborted = context.RequestAborted;
        if (await SurfaceAdmission.BeginAsync(context, ResponsesErrors.Instance, logger) is not { } admission) return;
        var userId = admission.UserId;
        var (request, history, error) = await chain.ReadRequestAsync(context.Request, userId, options.Value.MaxChatBodyBytes, options.Value.MaxMessageBytes, aborted);

        var (input, message) = (default(Grains.Interfaces.ModelInput), default(string));
        if (request is not null && error is null) (input, message, error) = ResponsesConversation.Assemble(request, history!);
        if (request is null || history is null || input is null || message is null)
        {
            await admission.RejectAsync(error);
            return;
        }

        var command = new CompletionCommand(userId, message, request.NamedModel, Settings: request.Settings, KeyId: admission.KeyId, Input: input);
        if (await admission.StartAsync(command) is not { } flow) return;
        await using (flow)
        {
            var draft = new ResponseDraft(request, flow.Ticket.Model);
            Task Save(byte[] body) => request.Store ? chain.SaveAsync(userId, draft, history, body, aborted) : Task.CompletedTask;
            if (request.Stream) await ResponsesAnswer.StreamAsync(context, flow, draft, Save);
            else await ResponsesAnswer.CollectAsync(context, flow, draft, Save);
        }
    }

    private static async Task GetAsync(string id, HttpContext context, RequestIdentity identity, ResponseChain chain, ILogger<ResponseChain> logger)
    {
        if (await StoredAsync(id, context, identity, chain, logger, static (grain, token) => grain.GetAsync(token)) is { } stored)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(stored.Body, context.RequestAborted);
        }
    }

    private static async Task DeleteAsync(string id, HttpContext context, RequestIdentity identity, ResponseChain chain, ILogger<ResponseChain> logger)
    {
        if (await StoredAsync(id, context, identity, chain, logger, static async (grain, token) =>
                await grain.DeleteAsync(token) ? new StoredResponse("", default, default, [], [], 0, "") : null) is not null)
        {
            await TypedResults.Json(new { id, @object = "response", deleted = true }).ExecuteAsync(context);
        }
    }

    /// <summary>Runs <paramref name="act"/> on the caller's stored response <paramref name="id"/>; null (and the error answered) when there is none.</summary>
    internal static async Task<StoredResponse?> StoredAsync(string id, HttpContext context, RequestIdentity identity, ResponseChain chain, ILogger logger,
        Func<IResponseStoreGrain, CancellationToken, ValueTask<StoredResponse?>> act)
    {
        var (userId, _, problem) = await identity.ResolveAsync(context.Request);
        if (problem is not null || userId is null)
        {
            await (problem is null ? ResponsesError.Invalid("Invalid user id.") : ResponsesError.FromProblem(problem)).WriteAsync(context.Response);
            return null;
        }

        StoredResponse? stored;
        try
        {
            stored = id.Length <= 128 ? await act(chain.Grain(userId, id), context.RequestAborted) : null;
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            ResponsesLog.StoreUnavailable(logger, ex, userId);
            await ResponsesError.FromProblem(RequestProblems.ClusterUnavailable).WriteAsync(context.Response);
            return null;
        }

        if (stored is null) await ResponsesError.NotFound($"Response with id '{id}' not found.").WriteAsync(context.Response);
        return stored;
    }
}
