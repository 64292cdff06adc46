using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Options;
using Router.WebFront.Auth;
using Router.WebFront.Completions;
using Router.WebFront.Options;

namespace Router.WebFront.Surfaces.Anthropic;

/// <summary>
/// Anthropic's Messages API over the routing core: <c>POST /v1/messages</c> (streamed and plain) and
/// <c>POST /v1/messages/count_tokens</c>, and its model listing (<see cref="AnthropicModelsEndpoints"/>). The key may come in <c>x-api-key</c>, as Anthropic's clients
/// send it; <c>anthropic-version</c> and <c>anthropic-beta</c> are accepted (every feature is in the
/// body, where what the router cannot honour is refused).
/// </summary>
public static class AnthropicEndpoints
{
    private const string LogCategory = "Router.WebFront.Surfaces.Anthropic";

    public static IEndpointRouteBuilder MapAnthropicApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/messages").WithTags("Anthropic").WithSurfaceErrors(AnthropicErrors.Instance);
        api.MapPost("", MessagesAsync).WithName("AnthropicMessages").Generates()
            .WithSummary("Anthropic's Messages API; model \"auto\" (or an alias of it) routes through the classifier.");
        api.MapPost("/count_tokens", CountTokensAsync).WithName("AnthropicCountTokens")
            .WithSummary("An estimate of a Messages request's input tokens.");
        app.MapGroup("").WithTags("Anthropic").WithSurfaceErrors(AnthropicErrors.Instance).MapAnthropicModels();
        return app;
    }

    private static async Task MessagesAsync(HttpContext context, ServedModels models, IOptions<WebFrontOptions> options, ILoggerFactory loggers)
    {
        if (await SurfaceAdmission.BeginAsync(context, AnthropicErrors.Instance, loggers.CreateLogger(LogCategory)) is not { } admission) return;
        var (request, resolution, error) = await ReadAsync(context, models, options.Value, AnthropicRequestReader.ParseMessages);
        if (error is not null)
        {
            await admission.RejectAsync(error);
            return;
        }

        // The classifier reads a prefix at most: a long message goes to the model whole, and is routed on its start.
        var routingText = Prefix(request!.RoutingText, options.Value.MaxMessageBytes);
        var command = new CompletionCommand(admission.UserId, routingText, resolution!.Model, null, request.Settings, admission.KeyId, Input: request.Input);
        if (await admission.StartAsync(command) is not { } flow) return;

        // Disposing the flow stops the generation when the client left before its end.
        await using (flow)
        {
            if (request.Stream) await AnthropicStreaming.StreamAsync(context, flow, request);
            else await AnthropicCollector.CollectAsync(context, flow, request);
        }
    }

    /// <summary>
    /// <c>{"input_tokens": n}</c>: the router's estimate, one token per four characters of the system
    /// prompt, messages, tool calls and results and tool definitions (images are not counted); no
    /// backend is asked, since Ollama has no tokenizer endpoint.
    /// </summary>
    private static async Task CountTokensAsync(HttpContext context, CompletionCore core, RequestIdentity identity, ServedModels models,
        IOptions<WebFrontOptions> options, ILoggerFactory loggers)
    {
        var started = Stopwatch.GetTimestamp();
        var logger = loggers.CreateLogger(LogCategory);
        var (userId, keyId, problem) = await identity.ResolveAsync(context.Request);
        if (problem is not null || userId is null)
        {
            await RejectAsync(context, core, logger, "?", keyId, problem is null ? AnthropicError.Invalid("Invalid user id.") : AnthropicError.FromProblem(problem), started);
            return;
        }

        var (request, _, error) = await ReadAsync(context, models, options.Value, AnthropicRequestReader.ParseCount);
        if (error is not null)
        {
            await RejectAsync(context, core, logger, userId, keyId, error, started);
            return;
        }

        await TypedResults.Json(new { input_tokens = request!.Input.EstimatedPromptTokens() }).ExecuteAsync(context);
    }

    private static async Task<(MessagesRequest?, ModelResolution?, AnthropicError?)> ReadAsync(HttpContext context, ServedModels models, WebFrontOptions limits,
        Func<System.Text.Json.JsonElement, (MessagesRequest?, AnthropicError?)> parse)
    {
        var ((request, invalid), problem) = await JsonBodyReader.ReadAsync<(MessagesRequest?, AnthropicError?)>(
            context.Request, limits.MaxChatBodyBytes, root => (parse(root), null), context.RequestAborted);
        if (problem is not null) return (null, null, AnthropicError.FromProblem(problem));
        if (invalid is not null || request is null) return (null, null, invalid ?? AnthropicError.Invalid("The request could not be read."));
        if (models.Resolve(request.Model) is not { } resolution)
        {
            return (null, null, new AnthropicError(StatusCodes.Status404NotFound, "not_found_error",
                $"model: '{request.Model}' is not served by this router and matches no alias (Models:Aliases).", Grains.Interfaces.ErrorCodes.ModelNotFound));
        }

        return (request, resolution, null);
    }

    private static string Prefix(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes) return text;
        var chars = Math.Min(text.Length, maxBytes / 3);
        if (chars > 0 && char.IsHighSurrogate(text[chars - 1])) chars--;
        return text[..chars];
    }

    private static async Task RejectAsync(HttpContext context, CompletionCore core, ILogger logger, string userId, string? keyId, AnthropicError error, long started)
    {
        RequestProblems.Count(core, logger, userId, keyId, new RequestProblem(error.Status, error.Code, error.Type, error.Message), started);
        await error.WriteAsync(context.Response, null);
    }
}
