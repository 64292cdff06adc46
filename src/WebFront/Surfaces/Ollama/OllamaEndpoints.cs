using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Router.WebFront.Auth;
using Router.WebFront.Completions;
using Router.WebFront.Options;

namespace Router.WebFront.Surfaces.Ollama;

/// <summary>
/// The Ollama-compatible surface: <c>/api/chat</c> and <c>/api/generate</c> over the
/// <see cref="CompletionCore"/> (model <c>auto</c> routes through the classifier), and the model
/// endpoints Ollama clients call first (<c>/api/tags</c>, <c>/api/version</c>, <c>/api/show</c>).
/// </summary>
public static class OllamaEndpoints
{
    /// <summary>The router's version; Ollama clients only show it, so build metadata is left out.</summary>
    internal static readonly string Version =
        (typeof(OllamaEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0").Split('+')[0];

    // Listings have no modification time of their own; the router process's start stands in for it.
    private static readonly DateTimeOffset ServingSince = Process.GetCurrentProcess().StartTime.ToUniversalTime();

    public static IEndpointRouteBuilder MapOllamaApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Ollama").WithSurfaceErrors(OllamaErrors.Instance);
        api.MapPost("/chat", ChatAsync).WithName("OllamaChat").Generates().WithSummary("Ollama's chat endpoint; model \"auto\" lets the router choose.");
        api.MapPost("/generate", GenerateAsync).WithName("OllamaGenerate").Generates().WithSummary("Ollama's generate endpoint; model \"auto\" lets the router choose.");
        api.MapGet("/tags", Tags).WithName("OllamaTags").WithSummary("The models the router serves, and \"auto\".");
        api.MapGet("/version", () => TypedResults.Json(new VersionBody(Version), OllamaJson.Default.VersionBody)).WithName("OllamaVersion");
        api.MapPost("/show", ShowAsync).WithName("OllamaShow").WithSummary("A minimal description of a served model.");
        return app;
    }

    private static Task ChatAsync(HttpContext context, IOptions<WebFrontOptions> limits, ServedModels models, ILogger<OllamaCall> logger) =>
        CompleteAsync(context, limits.Value, models, logger, OllamaRequestReader.ParseChat);

    private static Task GenerateAsync(HttpContext context, IOptions<WebFrontOptions> limits, ServedModels models, ILogger<OllamaCall> logger) =>
        CompleteAsync(context, limits.Value, models, logger, OllamaRequestReader.ParseGenerate);

    private static async Task CompleteAsync(HttpContext context, WebFrontOptions limits, ServedModels models, ILogger logger,
        Func<JsonElement, int, (OllamaCall?, RequestProblem?)> parse)
    {
        if (await SurfaceAdmission.BeginAsync(context, OllamaErrors.Instance, logger) is not { } admission) return;
        var (call, problem) = await OllamaRequestReader.ReadAsync(context.Request, limits.MaxBodyBytes,
            root => parse(root, limits.MaxMessageBytes), context.RequestAborted);
        if (problem is not null || call is null)
        {
            await admission.RejectAsync(problem);
            return;
        }

        // Aliases apply as on every surface; an unknown name goes on to the session, which answers model_not_found.
        var resolution = models.Resolve(call.Model);
        if (call.Message is null)
        {
            await LoadAsync(context, call, resolution?.Served);
            return;
        }

        var model = resolution is null ? call.Model : resolution.Model;
        var command = new CompletionCommand(admission.UserId, call.Message, model, Settings: call.Settings, KeyId: admission.KeyId, Input: call.Input);
        if (await admission.StartAsync(command) is not { } flow) return;

        // Disposing the flow stops the generation when the client left before its end.
        await using (flow)
        {
            if (call.Stream) await OllamaRelay.StreamAsync(context, flow, call.Operation, logger);
            else await OllamaRelay.CollectAsync(context, flow, call.Operation, logger);
        }
    }

    /// <summary>A load request: the router has nothing to load, so it only says whether it serves the model.</summary>
    private static async Task LoadAsync(HttpContext context, OllamaCall call, string? served)
    {
        if (served is null)
        {
            await OllamaRelay.WriteErrorAsync(context, StatusCodes.Status404NotFound, $"model '{call.Model}' not found");
            return;
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        using var writer = new OllamaNdjsonWriter(context.Response.BodyWriter, call.Operation);
        writer.WriteLoaded(call.Model);
        await writer.FlushAsync(context.RequestAborted);
    }

    private static async Task Tags(HttpContext context, RequestIdentity identity, ServedModels models)
    {
        if ((await identity.ResolveAsync(context.Request)).Problem is { } refused)
        {
            await OllamaRelay.WriteErrorAsync(context, refused.Status, refused.Detail);
            return;
        }

        await TypedResults.Json(new TagsBody([.. models.All.Select(m => new TagModel(m, m, ServingSince, 0, "", Details(m)))]), OllamaJson.Default.TagsBody)
            .ExecuteAsync(context);
    }

    private static async Task ShowAsync(HttpContext context, RequestIdentity identity, ServedModels models, IOptions<WebFrontOptions> limits)
    {
        if ((await identity.ResolveAsync(context.Request)).Problem is { } refused)
        {
            await OllamaRelay.WriteErrorAsync(context, refused.Status, refused.Detail);
            return;
        }

        var (name, problem) = await OllamaRequestReader.ReadAsync(context.Request, limits.Value.MaxBodyBytes, OllamaRequestReader.ParseShow, context.RequestAborted);
        if (problem is not null || name is null)
        {
            problem ??= OllamaRequestReader.Invalid("model_missing", "The 'model' field is required.");
            await OllamaRelay.WriteErrorAsync(context, problem.Status, problem.Detail);
            return;
        }

        if (models.Find(name) is not { } served)
        {
            await OllamaRelay.WriteErrorAsync(context, StatusCodes.Status404NotFound, $"model '{name}' not found");
            return;
        }

        var body = new ShowBody("", "", "", Details(served), new Dictionary<string, string>(), ["completion"], ServingSince);
        await TypedResults.Json(body, OllamaJson.Default.ShowBody).ExecuteAsync(context);
    }

    // The router knows a model by name only; its format and size are the backend's business.
    private static ModelDetails Details(string model) =>
        new("", "", model == ServedModels.Auto ? "router" : "", null, "", "");
}
