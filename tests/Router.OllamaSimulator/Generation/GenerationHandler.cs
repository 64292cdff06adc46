using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Router.OllamaSimulator.Wire;

namespace Router.OllamaSimulator.Generation;

/// <summary>
/// Answers <c>/api/chat</c> and <c>/api/generate</c>: one async loop per request, pacing tokens with a
/// <see cref="PeriodicTimer"/> and flushing each NDJSON line as it is written.
/// </summary>
internal sealed partial class GenerationHandler(
    SimulatorJournal journal,
    IOptions<SimulatorOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<GenerationHandler> logger)
{
    private const string NdjsonContentType = "application/x-ndjson";
    private const string JsonContentType = "application/json; charset=utf-8";
    private static readonly TimeSpan CutDrainDelay = TimeSpan.FromMilliseconds(20);

    public async Task HandleChatAsync(HttpContext context)
    {
        ChatRequestBody? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(context.Request.Body, SimulatorJsonContext.Default.ChatRequestBody, context.RequestAborted);
        }
        catch (JsonException ex)
        {
            await RejectBodyAsync(context, SimulatedEndpoint.Chat, ex.Message);
            return;
        }

        string? lastUser = null;
        var words = 0;
        foreach (var message in body?.Messages ?? [])
        {
            words += CountWords(message.Content);
            if (string.Equals(message.Role, "user", StringComparison.OrdinalIgnoreCase))
            {
                lastUser = message.Content;
            }
        }

        await RunAsync(context, SimulatedEndpoint.Chat, body?.Model, lastUser, body?.Stream ?? true, words);
    }

    public async Task HandleGenerateAsync(HttpContext context)
    {
        GenerateRequestBody? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(context.Request.Body, SimulatorJsonContext.Default.GenerateRequestBody, context.RequestAborted);
        }
        catch (JsonException ex)
        {
            await RejectBodyAsync(context, SimulatedEndpoint.Generate, ex.Message);
            return;
        }

        var words = CountWords(body?.System) + CountWords(body?.Prompt);
        await RunAsync(context, SimulatedEndpoint.Generate, body?.Model, body?.Prompt, body?.Stream ?? true, words);
    }

    private async Task RunAsync(HttpContext context, SimulatedEndpoint endpoint, string? model, string? directiveText, bool stream, int promptEvalCount)
    {
        var started = Stopwatch.GetTimestamp();
        var directives = SimDirectives.Parse(directiveText);
        var request = journal.Begin(endpoint, model ?? string.Empty, directiveText, stream, directives, promptEvalCount);
        var settings = options.Value;

        try
        {
            if (string.IsNullOrWhiteSpace(model))
            {
                await FailAsync(context, request, StatusCodes.Status400BadRequest, "model is required");
                return;
            }

            if (!ModelCatalog.IsKnown(settings, model))
            {
                await FailAsync(context, request, StatusCodes.Status404NotFound, OllamaErrors.ModelNotFound(model));
                return;
            }

            if (directives.Status is { } status and not StatusCodes.Status200OK)
            {
                await FailAsync(context, request, status, OllamaErrors.ForStatus(status));
                return;
            }

            var plan = GenerationPlan.From(settings, directives);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
            try
            {
                if (stream)
                {
                    await StreamAsync(context, request, plan, started, linked.Token);
                }
                else
                {
                    await AnswerOnceAsync(context, request, plan, started, linked.Token);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException || linked.IsCancellationRequested)
            {
                Abandon(context, request);
            }
        }
        catch (Exception)
        {
            // Unexpected failure: still give the request a terminal outcome so waiting tests do not hang.
            journal.Finish(request, SimulatedOutcome.Faulted, StatusCodes.Status500InternalServerError);
            throw;
        }
        finally
        {
            LogRequestEnded(request.Id, request.Model, request.Outcome, request.TokensSent, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    private async Task StreamAsync(HttpContext context, SimulatedRequest request, GenerationPlan plan, long started, CancellationToken cancellationToken)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = NdjsonContentType;
        var pipe = response.BodyWriter;
        using var lines = new OllamaLineWriter(pipe, request.Model, request.Endpoint);

        var ttftStarted = Stopwatch.GetTimestamp();
        if (plan.TimeToFirstTokenMs > 0)
        {
            await Task.Delay(plan.TimeToFirstTokenMs, cancellationToken);
        }

        var firstToken = Stopwatch.GetTimestamp();
        using var timer = plan.Interval is { } interval ? new PeriodicTimer(interval) : null;
        for (var i = 0; i < plan.SendCount; i++)
        {
            if (i > 0 && timer is not null)
            {
                await timer.WaitForNextTickAsync(cancellationToken);
            }

            lines.WriteToken(i);
            await FlushAsync(pipe, cancellationToken);
            request.TokenSent();
        }

        switch (plan.Ending)
        {
            case GenerationEnding.Cut:
                // Headers must be out even when zero tokens were sent, so the client sees a broken 200 stream.
                await FlushAsync(pipe, cancellationToken);

                // Abort discards output the transport has not sent yet; give it a moment to drain so the
                // client really receives the tokens the journal reports as sent before the connection breaks.
                await Task.Delay(CutDrainDelay, cancellationToken);
                context.Abort();
                journal.Finish(request, SimulatedOutcome.Cut, StatusCodes.Status200OK);
                return;

            case GenerationEnding.Stall:
                await FlushAsync(pipe, cancellationToken);
                request.Stalled = true;
                await Task.Delay(Timeout.Infinite, cancellationToken);
                return;

            case GenerationEnding.ErrorLine:
                lines.WriteError(OllamaErrors.MidStream);
                await FlushAsync(pipe, cancellationToken);
                journal.Finish(request, SimulatedOutcome.Faulted, StatusCodes.Status200OK);
                return;

            default:
                var end = Stopwatch.GetTimestamp();
                lines.WriteFinal(string.Empty, Timings(request, started, ttftStarted, firstToken, end), newline: true);
                await FlushAsync(pipe, cancellationToken);
                journal.Finish(request, SimulatedOutcome.Completed, StatusCodes.Status200OK);
                return;
        }
    }

    private async Task AnswerOnceAsync(HttpContext context, SimulatedRequest request, GenerationPlan plan, long started, CancellationToken cancellationToken)
    {
        var ttftStarted = Stopwatch.GetTimestamp();
        var total = plan.TotalGenerationTime;
        if (total > TimeSpan.Zero)
        {
            await Task.Delay(total, cancellationToken);
        }

        switch (plan.Ending)
        {
            case GenerationEnding.Cut:
                context.Abort();
                journal.Finish(request, SimulatedOutcome.Cut, 0);
                return;

            case GenerationEnding.Stall:
                request.Stalled = true;
                await Task.Delay(Timeout.Infinite, cancellationToken);
                return;

            case GenerationEnding.ErrorLine:
                await FailAsync(context, request, StatusCodes.Status500InternalServerError, OllamaErrors.MidStream);
                return;
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = JsonContentType;
        var firstToken = ttftStarted + (long)(plan.TimeToFirstTokenMs * (Stopwatch.Frequency / 1000.0));
        var end = Stopwatch.GetTimestamp();
        request.SetTokensSent(plan.SendCount);
        using (var lines = new OllamaLineWriter(response.BodyWriter, request.Model, request.Endpoint))
        {
            lines.WriteFinal(SimulatedText.Text(plan.SendCount), Timings(request, started, ttftStarted, firstToken, end), newline: false);
        }

        await FlushAsync(response.BodyWriter, cancellationToken);
        journal.Finish(request, SimulatedOutcome.Completed, StatusCodes.Status200OK);
    }

    private async Task FailAsync(HttpContext context, SimulatedRequest request, int status, string message)
    {
        journal.Finish(request, SimulatedOutcome.Faulted, status);
        await WriteErrorAsync(context, status, message);
    }

    private async Task RejectBodyAsync(HttpContext context, SimulatedEndpoint endpoint, string message)
    {
        var request = journal.Begin(endpoint, string.Empty, null, stream: false, SimDirectives.None, 0);
        await FailAsync(context, request, StatusCodes.Status400BadRequest, message);
    }

    internal static async Task WriteErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = JsonContentType;
        await JsonSerializer.SerializeAsync(context.Response.Body, new ErrorBody(message), SimulatorJsonContext.Default.ErrorBody, context.RequestAborted);
    }

    private void Abandon(HttpContext context, SimulatedRequest request)
    {
        var status = context.Response.HasStarted ? context.Response.StatusCode : 0;
        if (lifetime.ApplicationStopping.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            // Shutting down: end open streams at once instead of letting the host wait out its timeout.
            context.Abort();
            journal.Finish(request, SimulatedOutcome.ServerStopped, status);
        }
        else
        {
            journal.Finish(request, SimulatedOutcome.ClientDisconnected, status);
        }
    }

    private static async ValueTask FlushAsync(System.IO.Pipelines.PipeWriter pipe, CancellationToken cancellationToken)
    {
        var result = await pipe.FlushAsync(cancellationToken);
        if (result.IsCompleted || result.IsCanceled)
        {
            throw new IOException("The client stopped reading the response.");
        }
    }

    private static GenerationTimings Timings(SimulatedRequest request, long started, long ttftStarted, long firstToken, long end) => new(
        TotalDurationNs: Nanoseconds(started, end),
        LoadDurationNs: Nanoseconds(started, ttftStarted),
        PromptEvalCount: request.PromptEvalCount,
        PromptEvalDurationNs: Nanoseconds(ttftStarted, firstToken),
        EvalCount: request.TokensSent,
        EvalDurationNs: Nanoseconds(firstToken, end));

    private static long Nanoseconds(long from, long to) => Math.Max(0, Stopwatch.GetElapsedTime(from, to).Ticks * 100);

    private static int CountWords(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        var count = 0;
        var inWord = false;
        foreach (var c in text)
        {
            var isSpace = char.IsWhiteSpace(c);
            if (!isSpace && !inWord)
            {
                count++;
            }

            inWord = !isSpace;
        }

        return count;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Simulated request {RequestId} for {Model} ended {Outcome} after {TokensSent} tokens in {ElapsedMs} ms")]
    private partial void LogRequestEnded(long requestId, string model, SimulatedOutcome outcome, int tokensSent, long elapsedMs);
}
