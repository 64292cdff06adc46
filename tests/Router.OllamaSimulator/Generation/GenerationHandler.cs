using System.Diagnostics;
using Microsoft.Extensions.Options;
using Router.OllamaSimulator.Wire;

namespace Router.OllamaSimulator.Generation;

/// <summary>
/// Answers a parsed request of any API family: one async loop per request, pacing tokens with a
/// <see cref="PeriodicTimer"/> and flushing each line or event as it is written. The family's
/// <see cref="IWireDialect"/> decides the bytes; the plan, timing, faults and journal are shared.
/// </summary>
internal sealed partial class GenerationHandler(
    SimulatorJournal journal,
    SimulatorHolds holds,
    IOptions<SimulatorOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<GenerationHandler> logger)
{
    internal const string JsonContentType = "application/json; charset=utf-8";

    public async Task RunAsync(HttpContext context, IWireDialect dialect, SimulatedCall call)
    {
        var started = Stopwatch.GetTimestamp();
        var model = call.Model;
        var directives = SimDirectives.Parse(call.DirectiveText);
        var request = journal.Begin(
            call.Endpoint, model ?? string.Empty, call.DirectiveText, call.Stream, directives, call.PromptEvalCount, call.Parameters, call.ApiKey, call.Content);
        var settings = options.Value;

        try
        {
            // A failing server answers its status before it looks at the request.
            if (settings.FailStatus is { } failing)
            {
                await FailAsync(context, dialect, request, failing, dialect.ForStatus(failing));
                return;
            }

            if (string.IsNullOrWhiteSpace(model))
            {
                await FailAsync(context, dialect, request, StatusCodes.Status400BadRequest, "model is required");
                return;
            }

            if (!ModelCatalog.IsKnown(settings, model))
            {
                await FailAsync(context, dialect, request, StatusCodes.Status404NotFound, dialect.ModelNotFound(model));
                return;
            }

            if (directives.Status is { } status and not StatusCodes.Status200OK)
            {
                await FailAsync(context, dialect, request, status, dialect.ForStatus(status));
                return;
            }

            var traits = ModelTraits.For(settings, model);
            if (CapabilityGate.Refusal(call, traits, model) is { } refusal)
            {
                await FailAsync(context, dialect, request, StatusCodes.Status400BadRequest, refusal);
                return;
            }

            var script = AnswerPlanner.Plan(call, settings, traits, directives, request.Id);
            request.Script = script;
            var plan = GenerationPlan.For(settings, directives, script);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
            try
            {
                if (call.Stream)
                {
                    await StreamAsync(context, dialect, request, plan, started, linked.Token);
                }
                else
                {
                    await AnswerOnceAsync(context, dialect, request, plan, started, linked.Token);
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

    private async Task StreamAsync(HttpContext context, IWireDialect dialect, SimulatedRequest request, GenerationPlan plan, long started, CancellationToken cancellationToken)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = dialect.StreamContentType;
        var pipe = response.BodyWriter;
        using var lines = dialect.CreateWriter(pipe, request);

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

            await holds.HoldAsync(request.Directives, i, cancellationToken);

            lines.WriteStep(i);
            // Counted once written, before the flush: a client that reads the token and leaves at once can make this
            // flush fail although the token reached it (the journal then said 0 tokens for a client that had one).
            request.TokenSent();
            await FlushAsync(pipe, cancellationToken);
        }

        switch (plan.Ending)
        {
            case GenerationEnding.Cut:
                // Headers must be out even when zero tokens were sent, so the client sees a broken 200 stream.
                // The flush returns once the socket has taken every byte (the simulator's write buffer is
                // minimal, see SimulatorApp), so the abort cannot discard the head or a token.
                await FlushAsync(pipe, cancellationToken);
                context.Abort();
                journal.Finish(request, SimulatedOutcome.Cut, StatusCodes.Status200OK);
                return;

            case GenerationEnding.Stall:
                await FlushAsync(pipe, cancellationToken);
                request.Stalled = true;
                await Task.Delay(Timeout.Infinite, cancellationToken);
                return;

            case GenerationEnding.ErrorLine:
                lines.WriteError(dialect.MidStreamError);
                await FlushAsync(pipe, cancellationToken);
                journal.Finish(request, SimulatedOutcome.Faulted, StatusCodes.Status200OK);
                return;

            default:
                var end = Stopwatch.GetTimestamp();
                lines.WriteEnd(plan.FinishReason, Timings(request, started, ttftStarted, firstToken, end));
                // Completed before the last flush returns: a client that has read the end may close the
                // connection first (it need not wait for the chunked body's terminator), which on a loaded
                // machine cancelled this flush and journaled a whole answer as a disconnect.
                request.FinishReason = plan.FinishReason;
                journal.Finish(request, SimulatedOutcome.Completed, StatusCodes.Status200OK);
                await FlushAsync(pipe, cancellationToken);
                return;
        }
    }

    private async Task AnswerOnceAsync(HttpContext context, IWireDialect dialect, SimulatedRequest request, GenerationPlan plan, long started, CancellationToken cancellationToken)
    {
        await holds.HoldAsync(request.Directives, 0, cancellationToken);
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
                await FailAsync(context, dialect, request, StatusCodes.Status500InternalServerError, dialect.MidStreamError);
                return;
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = JsonContentType;
        var firstToken = ttftStarted + (long)(plan.TimeToFirstTokenMs * (Stopwatch.Frequency / 1000.0));
        var end = Stopwatch.GetTimestamp();
        request.SetTokensSent(plan.SendCount);
        using (var lines = dialect.CreateWriter(response.BodyWriter, request))
        {
            lines.WriteWhole(plan.SendCount, plan.FinishReason, Timings(request, started, ttftStarted, firstToken, end));
        }

        // Completed before the flush returns, as for a stream (see StreamAsync).
        request.FinishReason = plan.FinishReason;
        journal.Finish(request, SimulatedOutcome.Completed, StatusCodes.Status200OK);
        await FlushAsync(response.BodyWriter, cancellationToken);
    }

    private async Task FailAsync(HttpContext context, IWireDialect dialect, SimulatedRequest request, int status, string message)
    {
        journal.Finish(request, SimulatedOutcome.Faulted, status);
        await dialect.WriteErrorAsync(context, status, message);
    }

    /// <summary>Answers a request refused before generation (unreadable body, missing key), journaled as faulted.</summary>
    public async Task RejectAsync(HttpContext context, IWireDialect dialect, SimulatedCall call, int status, string message)
    {
        var request = journal.Begin(call.Endpoint, call.Model ?? string.Empty, call.DirectiveText, call.Stream, SimDirectives.None, 0, call.Parameters, call.ApiKey, call.Content);
        await FailAsync(context, dialect, request, status, message);
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

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Simulated request {RequestId} for {Model} ended {Outcome} after {TokensSent} tokens in {ElapsedMs} ms")]
    private partial void LogRequestEnded(long requestId, string model, SimulatedOutcome outcome, int tokensSent, long elapsedMs);
}
