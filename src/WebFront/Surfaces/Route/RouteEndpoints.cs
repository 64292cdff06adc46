using System.Text.Json;
using Microsoft.Extensions.Options;
using Router.Grains.Interfaces;
using Router.WebFront.Auth;
using Router.WebFront.Completions;
using Router.WebFront.Options;

namespace Router.WebFront.Surfaces.Route;

/// <summary>
/// <c>POST /v1/route</c>: the routing decision for a request, without generating, so operators can
/// audit routing. It takes the body of any surface (<c>{"message"}</c>, OpenAI's or Ollama's
/// <c>messages</c>, Ollama's <c>prompt</c>) and routes on the same text the surface would.
/// Under a key, a classification is counted like any request: it holds a lease (a request, a stream
/// slot, the message's tokens reserved) while it runs, settled at 0 tokens since no model ran.
/// </summary>
public static class RouteEndpoints
{
    public static IEndpointRouteBuilder MapRouteApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/route", RouteAsync).WithName("Route")
            .WithSummary("The model, category, confidence and per-category scores the router would use, without generating.");
        return app;
    }

    private static async Task<IResult> RouteAsync(HttpContext context, IClusterClient cluster, RequestIdentity identity, ServedModels models,
        KeyLeases leases, IOptions<WebFrontOptions> options)
    {
        var (_, keyId, refused) = await identity.ResolveAsync(context.Request);
        if (refused is not null) return refused.ToResult();
        var ((message, model, needs, earlier), problem) = await JsonBodyReader.ReadAsync<(string?, string?, RequestNeeds, string[])>(
            context.Request, options.Value.MaxChatBodyBytes, root => (Read(root), null), context.RequestAborted);
        if (problem is not null) return problem.ToResult();
        if (string.IsNullOrWhiteSpace(message))
        {
            return RequestProblems.Invalid("message_missing", "The body has no message, messages with a user turn, or prompt.").ToResult();
        }

        // The same message limit as the surfaces that generate: classifying is not free either.
        if (System.Text.Encoding.UTF8.GetByteCount(message) > options.Value.MaxMessageBytes)
        {
            return new RequestProblem(StatusCodes.Status413PayloadTooLarge, "message_too_large", "Message too large",
                $"The message is longer than {options.Value.MaxMessageBytes} bytes.").ToResult();
        }

        // A name is resolved as the surfaces resolve it: a served model, or an alias of one or of auto.
        if (model is not null)
        {
            switch (models.Resolve(model))
            {
                case null:
                    return new RequestProblem(StatusCodes.Status404NotFound, ErrorCodes.ModelNotFound, "Model not found", $"The model '{model}' is not served by this router.").ToResult();
                case { Model: { } served }:
                    return TypedResults.Json(new { model = served, category = (string?)null, confidence = (double?)null, scores = (object?)null, tier = "named" });
            }
        }

        KeyAdmission? admission = null;
        if (keyId is not null)
        {
            admission = await leases.AcquireAsync(keyId, PromptEstimate.Of(message), outputCap: 1);
            if (admission.Problem is { } limited)
            {
                RateLimitHeaders.Write(context.Response, admission.Decision);
                return limited.ToResult();
            }
        }

        ClassifierDecision decision;
        try
        {
            decision = await cluster.GetGrain<IClassifierGrain>(0).RouteAsync(new RouteQuery(message, needs, earlier), context.RequestAborted);
        }
        finally
        {
            if (admission is not null) await leases.ReleaseAsync(admission, 0, cost: 0m);
        }

        if (decision.Error is { Code: ErrorCodes.NoCapableModel } incapable)
        {
            return RequestProblems.Invalid(incapable.Code, incapable.Message).ToResult();
        }

        if (decision.Error is { } error)
        {
            return new RequestProblem(StatusCodes.Status503ServiceUnavailable, error.Code, "Classifier unavailable", error.Message).ToResult();
        }

        if (decision.RoutingReason is { } reason) context.Response.Headers["x-router-reason"] = RoutingHeaders.AsciiHeader(reason);
        if (decision.Sticky) context.Response.Headers["x-router-sticky"] = "true";
        return TypedResults.Json(new
        {
            model = decision.Model, category = decision.Category, confidence = decision.Confidence, scores = decision.Scores, tier = decision.Tier,
            reason = decision.RoutingReason,
            sticky = decision.Sticky,
            needs = RouteNeeds.Describe(needs),
        });
    }

    /// <summary>The text a surface would route on, the model the body names, if any, and what the request needs of a model.</summary>
    private static (string? Message, string? Model, RequestNeeds Needs, string[] EarlierUserTurns) Read(JsonElement root)
    {
        var (message, model) = ReadText(root);
        return (message, model, RouteNeeds.Of(root), EarlierUserTurns(root));
    }

    /// <summary>The user messages before the last one, oldest first, as the surfaces read them (the seed's body has none).</summary>
    private static string[] EarlierUserTurns(JsonElement root)
    {
        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array) return [];
        var users = messages.EnumerateArray()
            .Where(m => m.ValueKind == JsonValueKind.Object && m.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String && r.GetString() == "user")
            .Select(TextOf)
            .ToList();
        if (users.Count > 0) users.RemoveAt(users.Count - 1);
        return [.. users.TakeLast(RouteQuery.MaxEarlierTurns).OfType<string>()];
    }

    private static string? TextOf(JsonElement message)
    {
        if (!message.TryGetProperty("content", out var content)) return null;
        if (content.ValueKind == JsonValueKind.String) return content.GetString();
        if (content.ValueKind != JsonValueKind.Array) return null;
        return string.Join("\n", content.EnumerateArray()
            .Where(p => p.ValueKind == JsonValueKind.Object && p.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
            .Select(p => p.GetProperty("text").GetString()));
    }

    private static (string? Message, string? Model) ReadText(JsonElement root)
    {
        string? model = root.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        if (root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String) return (message.GetString(), model);
        if (root.TryGetProperty("prompt", out var prompt) && prompt.ValueKind == JsonValueKind.String) return (prompt.GetString(), model);
        if (root.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array)
        {
            var last = messages.EnumerateArray().LastOrDefault(x => x.ValueKind == JsonValueKind.Object
                && x.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String && r.GetString() == "user");
            // Text parts are joined as the surfaces join them.
            if (last.ValueKind == JsonValueKind.Object) return (TextOf(last), model);
        }

        return (null, model);
    }
}
