using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using Router.Grains.Interfaces;
using Router.WebFront.Cluster;
using Router.WebFront.Diagnostics;
using Router.WebFront.Options;

namespace Router.WebFront.Completions;

/// <summary>
/// Serves one <c>POST /complete</c>: validates it, subscribes to the request's completion stream,
/// starts the completion on the user's session grain and relays the stream as SSE until its
/// terminal item. When the client leaves first, the generation is cancelled down to the backend.
/// </summary>
public sealed class CompletionRelay(
    IClusterClient cluster,
    IOptions<WebFrontOptions> options,
    SiloWatcher siloWatcher,
    WebFrontDrain drain,
    WebFrontInstruments instruments,
    ILogger<CompletionRelay> logger)
{
    private const int StartAttempts = 30;

    /// <summary>Tries at a request whose stream is lost with a silo before its first item.</summary>
    private const int LostStreamAttempts = 2;

    private readonly WebFrontOptions _options = options.Value;

    public async Task HandleAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var (userId, problem) = UserIdReader.Read(context.Request);
        string? message = null;
        if (problem is null)
        {
            (message, problem) = await CompletionRequestReader.ReadAsync(
                context.Request, _options.MaxBodyBytes, _options.MaxMessageBytes, context.RequestAborted);
        }

        if (problem is not null || userId is null || message is null)
        {
            problem ??= new RequestProblem(StatusCodes.Status400BadRequest, "invalid_request", "Invalid request", "The request could not be read.");
            await RejectAsync(context, userId ?? "?", problem, started);
            return;
        }

        if (drain.IsDraining)
        {
            await RejectAsync(context, userId, new RequestProblem(StatusCodes.Status503ServiceUnavailable, ErrorCodes.ShuttingDown,
                "Shutting down", "This router front end is shutting down; please retry on another."), started);
            return;
        }

        // A stream that a lost silo took with it before it produced anything is started once more
        // on the cluster: the client has seen nothing yet, so it cannot tell.
        for (var attempt = 1; ; attempt++)
        {
            var relay = new RelayState(Guid.NewGuid(), userId, started) { CanRetry = attempt < LostStreamAttempts };
            if (!await AttemptAsync(context, message, relay) || !relay.RetryWanted) return;
        }
    }

    /// <summary>One try at serving the request on a stream of its own; false when it was refused before any stream.</summary>
    private async Task<bool> AttemptAsync(HttpContext context, string message, RelayState relay)
    {
        var (requestId, userId, started) = (relay.RequestId, relay.UserId, relay.Started);
        WebFrontLog.Prompt(logger, requestId, message);
        var items = Channel.CreateUnbounded<CompletionEvent>(new UnboundedChannelOptions { SingleReader = true });

        // Subscribing costs a pub-sub round trip; it runs alongside the grain call instead of before
        // it. Subscribing from the earliest cached item means a chunk published before the
        // subscription is in place is replayed, not lost.
        var subscribing = cluster.GetStreamProvider(RouterStreams.ProviderName)
            .GetStream<CompletionEvent>(RouterStreams.ForRequest(requestId))
            .SubscribeAsync(new CompletionStreamObserver(items.Writer), StreamSubscriptionStartPosition.EarliestAvailable, null);
        var starting = StartAsync(relay, message, context.RequestAborted);
        StreamSubscriptionHandle<CompletionEvent> subscription;
        try
        {
            subscription = await subscribing;
        }
        catch (Exception ex)
        {
            _ = CancelAfterStartAsync(starting, userId, requestId);
            if (context.RequestAborted.IsCancellationRequested || context.Response.HasStarted) return false;
            WebFrontLog.StartFailed(logger, ex, requestId);
            await RejectAsync(context, userId, new RequestProblem(StatusCodes.Status503ServiceUnavailable, ErrorCodes.SiloUnavailable,
                "Router unavailable", "The router's cluster cannot take requests right now."), started);
            return false;
        }

        instruments.StreamOpened();
        using var guard = new StreamGuard();
        drain.Track(guard);
        try
        {
            await RelayAsync(context, starting, items.Reader, relay, guard);
        }
        finally
        {
            drain.Untrack(guard);
            siloWatcher.Forget(guard);
            instruments.StreamClosed();
            if (!relay.RetryWanted)
            {
                var elapsedMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                instruments.RequestEnded(relay.Model, relay.Outcome, relay.ErrorCode, elapsedMs);
                WebFrontLog.RequestCompleted(logger, requestId, userId, relay.Model, relay.Category, relay.CacheHit,
                    relay.TimeToFirstTokenMs, elapsedMs, relay.ErrorCode ?? relay.Outcome);
            }

            _ = CleanUpAsync(subscription, userId, requestId, cancelGeneration: !relay.Terminal);
        }

        return true;
    }

    /// <summary>Starts the completion on the user's session grain; a failure to reach it becomes a ticket error.</summary>
    private async Task<CompletionTicket> StartAsync(RelayState relay, string message, CancellationToken aborted)
    {
        try
        {
            // A stopping silo hands the session off and answers silo_unavailable before starting
            // anything, so retrying is safe; the retry activates the session on another silo.
            // A rejected message (a silo that is stopping, for one) never reached the grain: also safe.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var ticket = await cluster.GetGrain<IUserSessionGrain>(relay.UserId)
                        .StartCompletionAsync(new CompletionRequest(relay.RequestId, message), aborted);
                    if (ticket.Error?.Code != ErrorCodes.SiloUnavailable || attempt >= StartAttempts) return ticket;
                }
                catch (OrleansMessageRejectionException) when (attempt < StartAttempts && !aborted.IsCancellationRequested)
                {
                }

                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(100 * attempt, 500)), aborted);
            }
        }
        catch (Exception ex) when (!aborted.IsCancellationRequested)
        {
            WebFrontLog.StartFailed(logger, ex, relay.RequestId);
            return new CompletionTicket("", null, false,
                new CompletionError(ErrorCodes.SiloUnavailable, "The router could not start this request on its cluster."));
        }
    }

    private async Task RelayAsync(HttpContext context, Task<CompletionTicket> starting, ChannelReader<CompletionEvent> items, RelayState relay, StreamGuard guard)
    {
        var aborted = context.RequestAborted;
        var response = context.Response;
        if (!response.HasStarted)
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            response.Headers["X-Accel-Buffering"] = "no";
            response.Headers["X-Request-Id"] = relay.RequestId.ToString();
        }

        using var sse = new SseWriter(response.BodyWriter, relay.UserId, relay.RequestId);
        try
        {
            await response.StartAsync(aborted);
            var ticket = await starting;
            relay.Model = ticket.Model;
            relay.Category = ticket.Category;
            relay.CacheHit = ticket.CacheHit;
            if (ticket.Error is { } error)
            {
                relay.Fail(error.Code);
                sse.WriteError(ticket.Model, error.Code, error.Message);
                await sse.FlushAsync(aborted);
                return;
            }

            // From here on a lost silo or the end of the drain time ends the stream with an error event.
            siloWatcher.Watch(guard, ticket.Silo);
            await PumpAsync(items, sse, relay, guard, aborted);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            relay.Outcome = "client_disconnected";
        }
        catch (Exception ex) when (!aborted.IsCancellationRequested && !relay.Terminal)
        {
            // The stream itself failed (an observer error, for instance): still end with an error event.
            WebFrontLog.StartFailed(logger, ex, relay.RequestId);
            relay.Fail(ErrorCodes.Internal);
            sse.WriteError(relay.Model, ErrorCodes.Internal, "The router failed while relaying this answer.");
            await sse.FlushAsync(CancellationToken.None);
        }
    }

    /// <summary>Writes items as they come, flushing once per batch; sends keep-alives while idle.</summary>
    private async Task PumpAsync(ChannelReader<CompletionEvent> items, SseWriter sse, RelayState relay, StreamGuard guard, CancellationToken aborted)
    {
        var lastItem = Stopwatch.GetTimestamp();
        var wait = CancellationTokenSource.CreateLinkedTokenSource(aborted, guard.Token);
        try
        {
            while (true)
            {
                while (items.TryRead(out var item))
                {
                    lastItem = Stopwatch.GetTimestamp();
                    guard.ItemReceived();
                    if (Write(sse, item, relay))
                    {
                        await sse.FlushAsync(aborted);
                        return;
                    }
                }

                await sse.FlushAsync(aborted);
                wait.CancelAfter(_options.KeepAliveInterval);
                try
                {
                    if (!await items.WaitToReadAsync(wait.Token))
                    {
                        relay.Fail(ErrorCodes.Internal);
                        sse.WriteError(relay.Model, ErrorCodes.Internal, "The completion stream ended without a result.");
                        await sse.FlushAsync(aborted);
                        return;
                    }
                }
                catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
                {
                    if (guard.Reason is { } reason)
                    {
                        if (relay.CanRetry && relay.TimeToFirstTokenMs is null && reason.Code == ErrorCodes.SiloUnavailable)
                        {
                            relay.RetryWanted = true;
                            return;
                        }

                        relay.Fail(reason.Code);
                        sse.WriteError(relay.Model, reason.Code, reason.Message);
                        await sse.FlushAsync(aborted);
                        return;
                    }

                    if (Stopwatch.GetElapsedTime(lastItem) >= _options.StreamIdleTimeout)
                    {
                        relay.Fail(ErrorCodes.StreamTimeout);
                        sse.WriteError(relay.Model, ErrorCodes.StreamTimeout,
                            $"No answer arrived for {_options.StreamIdleTimeout.TotalSeconds:0} s; the request was abandoned.");
                        await sse.FlushAsync(aborted);
                        return;
                    }

                    sse.WriteKeepAlive();
                    wait.Dispose();
                    wait = CancellationTokenSource.CreateLinkedTokenSource(aborted, guard.Token);
                }
            }
        }
        finally
        {
            wait.Dispose();
        }
    }

    /// <summary>Writes one item; true when it was the terminal one.</summary>
    private bool Write(SseWriter sse, CompletionEvent item, RelayState relay)
    {
        switch (item.Kind)
        {
            case CompletionEventKind.Token:
                if (relay.TimeToFirstTokenMs is null)
                {
                    relay.TimeToFirstTokenMs = Stopwatch.GetElapsedTime(relay.Started).TotalMilliseconds;
                    instruments.FirstToken(item.Model, relay.TimeToFirstTokenMs.Value);
                }

                sse.WriteToken(item.Model, item.Text);
                return false;
            case CompletionEventKind.Done:
                relay.Terminal = true;
                relay.Outcome = "done";
                sse.WriteDone(item.Model, item.Summary ?? new CompletionSummary(relay.Category, null, null, 0), relay.CacheHit);
                return true;
            default:
                var error = item.Error ?? new CompletionError(ErrorCodes.Internal, "The completion failed.");
                relay.Fail(error.Code);
                sse.WriteError(item.Model, error.Code, error.Message);
                return true;
        }
    }

    private async Task RejectAsync(HttpContext context, string userId, RequestProblem problem, long started)
    {
        WebFrontLog.RequestRejected(logger, userId, problem.Status, problem.Code);
        instruments.RequestEnded("", "rejected", problem.Code, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        await problem.ToResult().ExecuteAsync(context);
    }

    private async Task CancelAfterStartAsync(Task<CompletionTicket> starting, string userId, Guid requestId)
    {
        try
        {
            if ((await starting).Error is null)
            {
                await cluster.GetGrain<IUserSessionGrain>(userId).CancelCompletionAsync(requestId);
            }
        }
        catch (Exception ex)
        {
            WebFrontLog.CleanupFailed(logger, ex, requestId);
        }
    }

    private async Task CleanUpAsync(StreamSubscriptionHandle<CompletionEvent> subscription, string userId, Guid requestId, bool cancelGeneration)
    {
        try
        {
            if (cancelGeneration)
            {
                await cluster.GetGrain<IUserSessionGrain>(userId).CancelCompletionAsync(requestId);
            }

            await subscription.UnsubscribeAsync();
        }
        catch (Exception ex)
        {
            WebFrontLog.CleanupFailed(logger, ex, requestId);
        }
    }
}
