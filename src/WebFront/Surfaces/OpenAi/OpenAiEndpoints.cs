using Microsoft.Extensions.Options;
using Router.WebFront.Auth;
using Router.WebFront.Completions;
using Router.WebFront.Options;

namespace Router.WebFront.Surfaces.OpenAi;

/// <summary>
/// The OpenAI-compatible surface: <c>POST /v1/chat/completions</c>, <c>GET /v1/models</c> and
/// <c>GET /v1/models/{id}</c>, over the routing core.
/// </summary>
public static class OpenAiEndpoints
{
    public static IEndpointRouteBuilder MapOpenAiApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/chat/completions", ChatAsync).WithSurfaceErrors(OpenAiErrors.Instance).Generates().WithName("ChatCompletions")
            .WithSummary("OpenAI-compatible chat completions; model \"auto\" routes through the classifier.");
        app.MapGet("/v1/models", Models).WithName("Models").WithSurfaceErrors(OpenAiErrors.Instance);
        app.MapGet("/v1/models/{id}", ModelAsync).WithName("Model").WithSurfaceErrors(OpenAiErrors.Instance);
        return app;
    }

    private static async Task Models(HttpContext context, RequestIdentity identity, ServedModels models)
    {
        if (!await IdentifiedAsync(context, identity)) return;
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await TypedResults.Json(new { @object = "list", data = models.Listing.Select(m => Describe(m, created)) }).ExecuteAsync(context);
    }

    /// <summary><c>GET /v1/models/{id}</c>: a listed name, or any name an alias takes.</summary>
    private static async Task ModelAsync(string id, HttpContext context, RequestIdentity identity, ServedModels models)
    {
        if (!await IdentifiedAsync(context, identity)) return;
        var listed = models.Listing.FirstOrDefault(m => string.Equals(m.Name, id, StringComparison.OrdinalIgnoreCase));
        if (listed is null && models.Resolve(id) is { } resolution) listed = new ServedModel(id, "alias", resolution.Served);
        if (listed is null)
        {
            await WriteErrorAsync(context.Response, new OpenAiError(StatusCodes.Status404NotFound,
                $"The model '{id}' does not exist or you do not have access to it.", "invalid_request_error", "model_not_found", "model"));
            return;
        }

        await TypedResults.Json(Describe(listed, DateTimeOffset.UtcNow.ToUnixTimeSeconds())).ExecuteAsync(context);
    }

    private static object Describe(ServedModel m, long created) =>
        new { id = m.Name, @object = "model", created, owned_by = m.AliasOf is null ? m.Kind : $"alias of {m.AliasOf}" };

    private static async Task<bool> IdentifiedAsync(HttpContext context, RequestIdentity identity)
    {
        if ((await identity.ResolveAsync(context.Request)).Problem is not { } problem) return true;
        await WriteErrorAsync(context.Response, OpenAiError.FromProblem(problem));
        return false;
    }

    private static async Task ChatAsync(HttpContext context, IOptions<WebFrontOptions> options, ServedModels models, ILogger<CompletionCore> logger)
    {
        if (await SurfaceAdmission.BeginAsync(context, OpenAiErrors.Instance, logger) is not { } admission) return;
        var (request, error) = await ChatRequestReader.ReadAsync(context.Request, options.Value.MaxChatBodyBytes, options.Value.MaxMessageBytes, context.RequestAborted);
        if (request is null)
        {
            await admission.RejectAsync(error);
            return;
        }

        // Aliases apply as on every surface; an unknown name goes on to the session, which answers model_not_found.
        var named = models.Resolve(request.Model) is { } resolution ? resolution.Model : request.NamedModel;
        var command = new CompletionCommand(admission.UserId, request.Message, named, Settings: request.Settings, KeyId: admission.KeyId, Input: request.Input);
        if (await admission.StartAsync(command) is not { } flow) return;
        await using (flow)
        {
            if (request.Stream) await OpenAiStreaming.StreamAsync(context, flow, request);
            else await OpenAiCompletion.CollectAsync(context, flow);
        }
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
