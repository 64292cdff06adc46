using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using Router.Grains.Interfaces;
using Router.WebFront.Completions;
using Router.WebFront.RequestLog;

namespace Router.WebFront.Spend;

/// <summary>
/// Where each request's end is billed and recorded: the web front's completion flow and its refusals
/// call it once per request. It prices the answer's figures (<see cref="PriceList"/>), counts spend
/// and tokens in metrics, and hands the request's row to the request log without waiting.
/// </summary>
public sealed class RequestAccounting(
    PriceList prices,
    SpendInstruments instruments,
    IOptions<RequestLogOptions> logOptions,
    IHttpContextAccessor http,
    RequestLogWriter? log = null)
{
    private readonly bool _keepText = logOptions.Value.IncludeText;
    private readonly string _webFront = logOptions.Value.WebFrontName is { Length: > 0 } name ? name : $"{Environment.MachineName}/{Environment.ProcessId}";

    // A row names its silo as text; the few silos a web front talks to are formatted once each, not per request.
    private readonly ConcurrentDictionary<SiloAddress, string> _siloNames = new();
    private const int MaxSiloNames = 256;

    public PriceList Prices => prices;

    /// <summary>A tally for a new request's flow.</summary>
    public RequestTally NewTally() => new(_keepText);

    /// <summary>Prices the figures an answer ended with and keeps them on its tally; null without figures.</summary>
    public RequestCost? Price(RequestTally tally, string model, CompletionSummary? summary) =>
        tally.End(summary, summary is null ? null : prices.Cost(model, summary));

    /// <summary>
    /// What a request that ran (or tried to) is billed: the answer's figures and their cost, or, cut off
    /// before any figures came, the router's own count of what it sent and relayed, marked estimated.
    /// A detached resumable answer's bill is deferred to the resume that reads its end.
    /// </summary>
    public RequestBill Bill(CompletionFlow flow, CompletionCommand command, RequestTally tally)
    {
        var model = flow.Ticket.Model;
        var summary = tally.Summary;
        var cost = tally.Cost;
        long? prompt = summary?.PromptTokens, output = summary?.OutputTokens, cached = summary?.CachedInputTokens;
        // A reader whose answer a resume took elsewhere leaves the bill to that resume, as a detached one does.
        var deferred = flow.Detached || flow.ErrorCode == ErrorCodes.StreamMoved;
        if (summary is null && !deferred && flow.Ticket is { Error: null, Silo: not null })
        {
            // Cut off before any figures came (the client left, or the stream was lost): billed on the
            // router's own count of the prompt it sent and the answer it relayed, marked estimated.
            prompt = TokenEstimate.OfPrompt(command.Message, command.Context, command.Input);
            output = TokenEstimate.OfChars(tally.RelayedChars);
            cost = prices.Cost(model, prompt, output, null, estimated: true);
        }

        return new RequestBill(prompt, output, cached, cost ?? new RequestCost(0m, prices.Currency, prices.IsPriced(model), Estimated: false), deferred);
    }

    /// <summary>A request that ran (or tried to) has ended: its bill goes to the metrics and its row to the log.</summary>
    public void Ended(CompletionFlow flow, CompletionCommand command, RequestTally tally, RequestBill bill, long elapsedMs)
    {
        var model = flow.Ticket.Model;
        var cost = bill.Cost;
        instruments.Billed(model, command.KeyId, cost, bill.Prompt ?? 0, bill.Output ?? 0, bill.Cached ?? 0);
        if (log is null) return;
        log.TryEnqueue(new RequestLogRow(
            ArrivedMs(elapsedMs), flow.RequestIdText, Surface(flow.IsResume), command.KeyId, command.UserId, command.Model,
            model.Length == 0 ? null : model, flow.Ticket.Category, flow.Ticket.Confidence, flow.Ticket.Tier, flow.Ticket.RoutingReason,
            bill.Prompt, bill.Output, bill.Cached, cost.Amount, cost.Estimated, cost.Currency, flow.TimeToFirstTokenMs, elapsedMs, flow.Outcome, flow.ErrorCode,
            _webFront, SiloName(flow.Ticket.Silo), TraceId(),
            _keepText && command.Message.Length > 0 ? command.Message : null, _keepText ? tally.Answer : null));
    }

    /// <summary>An embeddings request that reached its backend (or tried to): billed on its input tokens, one row.</summary>
    public void Embedded(string? keyId, string? userId, string modelRequested, string model, long promptTokens, RequestCost cost, string? errorCode, long elapsedMs)
    {
        instruments.Billed(model, keyId, cost, promptTokens, 0, 0);
        log?.TryEnqueue(new RequestLogRow(
            ArrivedMs(elapsedMs), RequestIdOf(), Surface(resume: false), keyId, userId, modelRequested, model, null, null, "named", null,
            promptTokens, 0, null, cost.Amount, cost.Estimated, cost.Currency, null, elapsedMs, errorCode is null ? "done" : "error", errorCode,
            _webFront, null, TraceId()));
    }

    /// <summary>A request refused before it ran (bad input, a limit, a draining web front): a row with its error code, at no cost.</summary>
    public void Rejected(string? userId, string? keyId, RequestProblem problem, long started)
    {
        if (log is null) return;
        var elapsedMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        log.TryEnqueue(new RequestLogRow(
            ArrivedMs(elapsedMs), RequestIdOf(), Surface(resume: false), keyId, userId, null, null, null, null, null, null,
            null, null, null, 0m, false, prices.Currency, null, elapsedMs, "rejected", problem.Code, _webFront, null, TraceId()));
    }

    private string? SiloName(SiloAddress? silo)
    {
        if (silo is null) return null;
        if (_siloNames.TryGetValue(silo, out var name)) return name;
        // Silos restarting over a long life leave old addresses behind: start over rather than grow without bound.
        if (_siloNames.Count >= MaxSiloNames) _siloNames.Clear();
        return _siloNames[silo] = silo.ToString();
    }

    private static long ArrivedMs(long elapsedMs) => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - elapsedMs;

    private static string? TraceId() => Activity.Current is { } activity ? activity.TraceId.ToHexString() : null;

    private string RequestIdOf() =>
        http.HttpContext?.Response.Headers["x-request-id"].ToString() is { Length: > 0 } id ? id : Guid.NewGuid().ToString();

    /// <summary>
    /// The API that took the request, from the route it matched (its pattern, so a trailing slash or
    /// another letter case of the same path is the same surface); an unmatched path as it came.
    /// </summary>
    private string Surface(bool resume)
    {
        if (resume) return "complete.resume";
        var context = http.HttpContext;
        if (context is null) return "";
        // A group's own route ("/v1/messages" and "") reads with a trailing slash.
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.Value ?? "";
        return SurfaceOf(route.Length > 1 ? route.TrimEnd('/') : route);
    }

    internal static string SurfaceOf(string route) => route switch
    {
        "/complete" => "complete",
        "/complete/{requestId}" => "complete.resume",
        "/v1/chat/completions" => "openai.chat",
        "/v1/responses" => "openai.responses",
        "/v1/responses/input_tokens" => "openai.responses.input_tokens",
        "/v1/responses/{id}" or "/v1/responses/{id}/cancel" or "/v1/responses/{id}/input_items" => "openai.responses.stored",
        "/v1/embeddings" => "openai.embeddings",
        "/v1/models" or "/v1/models/{id}" => "models",
        "/v1/messages" => "anthropic.messages",
        "/v1/messages/count_tokens" => "anthropic.count_tokens",
        "/v1/route" => "route",
        "/api/chat" => "ollama.chat",
        "/api/generate" => "ollama.generate",
        "/api/embed" or "/api/embeddings" => "ollama.embed",
        "/api/tags" => "ollama.tags",
        "/api/show" => "ollama.show",
        _ when route.StartsWith("/complete/", StringComparison.Ordinal) => "complete.resume",
        _ => route,
    };
}

/// <summary>What one request is billed.</summary>
/// <param name="Deferred">A detached resumable answer: the resume that reads its end bills it.</param>
public sealed record RequestBill(long? Prompt, long? Output, long? Cached, RequestCost Cost, bool Deferred)
{
    /// <summary>The bill of a reader whose answer another reader was billed for already: nothing.</summary>
    public RequestBill Nothing() => this with { Prompt = null, Output = null, Cached = null, Cost = Cost with { Amount = 0m } };
}
