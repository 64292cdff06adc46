using System.Text.Json;
using System.Text.Json.Serialization;
using Router.WebFront.Auth;
using Router.WebFront.Completions;
using Router.WebFront.RequestLog;

namespace Router.WebFront.Spend;

/// <summary>
/// The usage API over the request log: <c>GET /admin/usage</c> and <c>GET /admin/requests</c> (admin
/// key), and <c>GET /v1/usage</c> and <c>GET /v1/requests</c>, which show a caller their own key's
/// usage and rows only (in Open mode, their own user's).
/// </summary>
public static class UsageEndpoints
{
    private static readonly TimeSpan ReadyWait = TimeSpan.FromSeconds(2);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static readonly RequestProblem Disabled = new(StatusCodes.Status404NotFound, "request_log_disabled", "Not found",
        "The request log is off on this router (RequestLog:Enabled=false).");

    private static readonly RequestProblem Unavailable = new(StatusCodes.Status503ServiceUnavailable, "request_log_unavailable", "Request log unavailable",
        "The request log's database cannot be read right now; please retry.");

    public static IEndpointRouteBuilder MapUsageApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin").AddEndpointFilter<AdminKeyFilter>();
        admin.MapGet("/usage", AdminUsageAsync).WithName("Usage").WithSummary("Requests, tokens, cost, errors and first-token times, summed by model, key, user, category, day or hour; key_id or user_id narrows them to one key or user.");
        admin.MapGet("/requests", (HttpContext context, IServiceProvider services) => RequestsAsync(context, services, static q => q)).WithName("Requests").WithSummary("The request log, newest first, filtered and paged with next_cursor.");
        app.MapGet("/v1/usage", OwnUsageAsync).WithName("OwnUsage").WithSummary("The caller's own usage: their key's (or, in Open mode, their user's).");
        app.MapGet("/v1/requests", OwnRequestsAsync).WithName("OwnRequests").WithSummary("The caller's own rows of the request log: their key's (or, in Open mode, their user's).");
        return app;
    }

    private static Task<IResult> AdminUsageAsync(HttpContext context, IServiceProvider services) =>
        UsageAsync(context, services, narrowable: true, static q => q);

    private static async Task<IResult> OwnUsageAsync(HttpContext context, IServiceProvider services, RequestIdentity identity)
    {
        var (userId, keyId, problem) = await identity.ResolveAsync(context.Request);
        if (problem is not null || userId is null) return (problem ?? RequestIdentity.MissingKey).ToResult();

        // Narrowed to the caller before anything is read: another key's rows are never in the sums.
        return await UsageAsync(context, services, narrowable: false, q => keyId is not null ? q with { KeyId = keyId } : q with { UserId = userId });
    }

    private static async Task<IResult> OwnRequestsAsync(HttpContext context, IServiceProvider services, RequestIdentity identity)
    {
        var (userId, keyId, problem) = await identity.ResolveAsync(context.Request);
        if (problem is not null || userId is null) return (problem ?? RequestIdentity.MissingKey).ToResult();

        // The caller's own filter wins over any key_id or user_id in the query: other rows are never read.
        return await RequestsAsync(context, services, q => keyId is not null ? q with { KeyId = keyId, UserId = null } : q with { UserId = userId, KeyId = null });
    }

    private static async Task<IResult> UsageAsync(HttpContext context, IServiceProvider services, bool narrowable, Func<UsageQuery, UsageQuery> narrow)
    {
        var (query, problem) = UsageQueryReader.Usage(context.Request.Query, narrowable);
        if (problem is not null) return problem.ToResult();
        var prices = services.GetRequiredService<PriceList>();
        return await ReadAsync(services, context.RequestAborted, async store =>
        {
            var groups = await store.UsageAsync(narrow(query!), context.RequestAborted);
            return TypedResults.Json(new
            {
                groups = groups.Select(g => new UsageView(g.Group, g.Requests, g.PromptTokens, g.OutputTokens, g.Cost, g.Errors, g.TtftP50Ms, g.TtftP95Ms)),
                currency = prices.Currency,
                from = DateTimeOffset.FromUnixTimeMilliseconds(query!.FromMs),
                to = DateTimeOffset.FromUnixTimeMilliseconds(query.ToMs),
            }, Json);
        });
    }

    private static async Task<IResult> RequestsAsync(HttpContext context, IServiceProvider services, Func<RequestQuery, RequestQuery> narrow)
    {
        var (parsed, problem) = UsageQueryReader.Requests(context.Request.Query);
        if (problem is not null) return problem.ToResult();
        var query = narrow(parsed!);
        return await ReadAsync(services, context.RequestAborted, async store =>
        {
            var rows = await store.RequestsAsync(query!, context.RequestAborted);
            var page = rows.Take(query!.Limit).ToList();
            var next = rows.Count > query.Limit ? new RequestCursor(page[^1].Row.TimeMs, page[^1].Id).ToString() : null;
            return TypedResults.Json(new { requests = page.Select(r => RequestView.Of(r.Row)), next_cursor = next }, Json);
        });
    }

    private static async Task<IResult> ReadAsync(IServiceProvider services, CancellationToken aborted, Func<RequestLogStore, Task<IResult>> read)
    {
        if (services.GetService<RequestLogWriter>() is not { } writer) return Disabled.ToResult();
        try
        {
            await writer.Ready.WaitAsync(ReadyWait, aborted);
            return await read(writer.Store);
        }
        catch (Exception ex) when (!aborted.IsCancellationRequested)
        {
            RequestLogLog.ReadFailed(services.GetRequiredService<ILogger<RequestLogWriter>>(), ex);
            return Unavailable.ToResult();
        }
    }

    private sealed record UsageView(
        string? Group, long Requests, long PromptTokens, long OutputTokens, decimal Cost, long Errors, double? TtftP50Ms, double? TtftP95Ms);

    /// <summary>A row of the log as the API shows it: the row's fields in snake case, its time as ISO 8601.</summary>
    private sealed record RequestView(
        DateTimeOffset Time, string RequestId, string Surface, string? KeyId, string? UserId, string? ModelRequested, string? Model,
        string? Category, double? Confidence, string? Tier, string? RoutingReason, long? PromptTokens, long? OutputTokens, long? CachedTokens,
        decimal Cost, bool CostEstimated, string Currency, double? TtftMs, long DurationMs, string Outcome, string? ErrorCode,
        string WebFront, string? Silo, string? TraceId,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Prompt,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Answer)
    {
        public static RequestView Of(RequestLogRow r) => new(
            DateTimeOffset.FromUnixTimeMilliseconds(r.TimeMs), r.RequestId, r.Surface, r.KeyId, r.UserId, r.ModelRequested, r.Model,
            r.Category, r.Confidence, r.Tier, r.RoutingReason, r.PromptTokens, r.OutputTokens, r.CachedTokens,
            r.Cost, r.CostEstimated, r.Currency, r.TtftMs, r.DurationMs, r.Outcome, r.ErrorCode, r.WebFront, r.Silo, r.TraceId, r.Prompt, r.Answer);
    }
}
