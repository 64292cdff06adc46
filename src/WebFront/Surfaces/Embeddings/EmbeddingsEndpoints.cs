using System.Diagnostics;
using Microsoft.Extensions.Options;
using Router.Grains.Interfaces;
using Router.WebFront.Auth;
using Router.WebFront.Completions;
using Router.WebFront.Options;
using Router.WebFront.Spend;

namespace Router.WebFront.Surfaces.Embeddings;

/// <summary>
/// <c>POST /v1/embeddings</c> (OpenAI) and <c>POST /api/embed</c> (Ollama): the named model's backend
/// embeds, through <see cref="IEmbeddingGrain"/> on a silo. No classification: <c>auto</c> is refused,
/// aliases apply. Each request takes a slot under its key's limits and settles it with the tokens the
/// backend counted.
/// </summary>
public static partial class EmbeddingsEndpoints
{
    public static IEndpointRouteBuilder MapEmbeddingsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/embeddings", (HttpContext context, [AsParameters] EmbeddingsServices services) => EmbedAsync(context, services, EmbeddingsWire.OpenAi))
            .WithName("Embeddings").WithSummary("OpenAI-compatible embeddings on a named model.").WithSurfaceErrors(EmbeddingsRefusals.OpenAi);
        app.MapPost("/api/embed", (HttpContext context, [AsParameters] EmbeddingsServices services) => EmbedAsync(context, services, EmbeddingsWire.Ollama))
            .WithName("OllamaEmbed").WithSummary("Ollama embeddings on a named model.").WithSurfaceErrors(EmbeddingsRefusals.Ollama);
        return app;
    }

    private static async Task EmbedAsync(HttpContext context, EmbeddingsServices services, EmbeddingsWire wire)
    {
        var started = Stopwatch.GetTimestamp();
        var aborted = context.RequestAborted;
        var (userId, keyId, problem) = await services.Identity.ResolveAsync(context.Request);
        if (problem is not null || userId is null)
        {
            await RefuseAsync(context, services, wire, ("?", keyId), problem is null ? EmbeddingsError.Invalid("user", "Invalid user id.") : EmbeddingsWriter.From(problem), started);
            return;
        }

        if (services.Core.IsDraining)
        {
            await RefuseAsync(context, services, wire, (userId, keyId), new(StatusCodes.Status503ServiceUnavailable, ErrorCodes.ShuttingDown, RequestProblems.ShuttingDown.Detail), started);
            return;
        }

        // The same body rules as every surface: a JSON content type, a size bound, a read deadline.
        var ((request, invalid), unreadable) = await JsonBodyReader.ReadAsync<(EmbeddingsRequest?, EmbeddingsError?)>(
            context.Request, services.Options.Value.MaxChatBodyBytes, root => (EmbeddingsRequestReader.Read(root, wire), null), aborted);
        if (request is null)
        {
            await RefuseAsync(context, services, wire, (userId, keyId), invalid ?? EmbeddingsWriter.From(unreadable ?? RequestProblems.BodyUnreadable()), started);
            return;
        }

        var resolution = services.Models.Resolve(request.Model);
        if (resolution is null)
        {
            await RefuseAsync(context, services, wire, (userId, keyId), new(StatusCodes.Status404NotFound, ErrorCodes.ModelNotFound, $"The model '{request.Model}' is not served by this router.", "model"), started);
            return;
        }

        if (resolution.Model is not { } model)
        {
            await RefuseAsync(context, services, wire, (userId, keyId), EmbeddingsError.Invalid("model", "Embeddings need a named model: 'auto' routing applies to chat only."), started);
            return;
        }

        await EmbedAdmittedAsync(context, services, wire, request, model, (userId, keyId), started);
    }

    private static async Task EmbedAdmittedAsync(HttpContext context, EmbeddingsServices services, EmbeddingsWire wire, EmbeddingsRequest request, string model, (string UserId, string? KeyId) caller, long started)
    {
        var aborted = context.RequestAborted;
        var keyId = caller.KeyId;
        var estimate = EmbeddingsRequestReader.EstimateTokens(request.Inputs);
        KeyAdmission? admission = null;
        if (keyId is not null)
        {
            // Embeddings generate nothing: the reservation is the input estimate alone.
            admission = await services.Leases.AcquireAsync(keyId, estimate, outputCap: 1, model);
            if (admission.Problem is { } refused)
            {
                RateLimitHeaders.Write(context.Response, admission.Decision);
                await RefuseAsync(context, services, wire, caller, EmbeddingsWriter.From(refused), started);
                return;
            }
        }

        EmbeddingResult? result = null;
        RequestCost? cost = null;
        try
        {
            result = await services.Cluster.GetGrain<IEmbeddingGrain>(0).EmbedAsync(request.ToGrain(model), aborted);
        }
        catch (Exception ex) when (!aborted.IsCancellationRequested)
        {
            EmbeddingsLog.ClusterFailed(services.Logger, ex, model);
            result = EmbeddingResult.Failed(new CompletionError(ErrorCodes.SiloUnavailable, "The router's cluster is not reachable; try again shortly."));
        }
        finally
        {
            // Settled even when the client left: the backend's count when it answered, nothing when it
            // failed, the reservation (the estimate) when the call was cut off and no one knows.
            long? used = result is null ? null : result.Error is null ? result.PromptTokens ?? estimate : 0;
            cost = services.Core.Accounting.Prices.Cost(model, used ?? estimate, 0, null, estimated: result?.PromptTokens is null && used is not 0);
            if (admission is not null) await services.Leases.ReleaseAsync(admission, used, cost.Amount);
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        services.Core.Accounting.Embedded(keyId, caller.UserId, request.Model, model, result.Error is null ? result.PromptTokens ?? estimate : 0, cost,
            result.Error?.Code, (long)elapsed.TotalMilliseconds);
        EmbeddingsLog.Embedded(services.Logger, model, request.Inputs.Count, result.Error?.Code ?? "ok", (long)elapsed.TotalMilliseconds);
        if (result.Error is { } failure) await EmbeddingsWriter.ErrorAsync(context.Response, wire, EmbeddingsWriter.From(failure));
        else await EmbeddingsWriter.VectorsAsync(context.Response, wire, request, model, result, elapsed);
    }

    /// <summary>A request refused before its backend was asked: counted, and a row in the request log under its key, as on every surface.</summary>
    private static Task RefuseAsync(HttpContext context, EmbeddingsServices services, EmbeddingsWire wire, (string UserId, string? KeyId) caller, EmbeddingsError error, long started)
    {
        RequestProblems.Count(services.Core, services.Logger, caller.UserId, caller.KeyId, new RequestProblem(error.Status, error.Code, "Embeddings refused", error.Message), started);
        return EmbeddingsWriter.ErrorAsync(context.Response, wire, error);
    }

    private static partial class EmbeddingsLog
    {
        [LoggerMessage(2801, LogLevel.Information, "Embeddings on {Model}: {Inputs} inputs, {Outcome} after {ElapsedMs} ms")]
        public static partial void Embedded(ILogger logger, string model, int inputs, string outcome, long elapsedMs);

        [LoggerMessage(2802, LogLevel.Warning, "Embeddings on {Model}: the cluster call failed")]
        public static partial void ClusterFailed(ILogger logger, Exception exception, string model);
    }
}

/// <summary>What the embeddings endpoints need, bound as one parameter (<c>[AsParameters]</c>).</summary>
public readonly record struct EmbeddingsServices(CompletionCore Core, IClusterClient Cluster, RequestIdentity Identity, KeyLeases Leases, ServedModels Models, IOptions<WebFrontOptions> Options, ILogger<EmbeddingsEndpointsLog> Logger);

/// <summary>The category of the embeddings endpoints' log lines.</summary>
public sealed class EmbeddingsEndpointsLog;
