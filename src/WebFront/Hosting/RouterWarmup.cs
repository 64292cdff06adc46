using Orleans.Streams;
using Router.Grains.Interfaces;
using Router.WebFront.Completions;

namespace Router.WebFront.Hosting;

/// <summary>
/// Once the host has started, takes the first-use costs of the request path (the stream provider's
/// first subscription, the classifier's first call, JIT of the SSE writer) so the first user does
/// not pay several hundred milliseconds for them. Failures only cost the first user that time again.
/// </summary>
internal sealed partial class RouterWarmup(IClusterClient cluster, IHostApplicationLifetime lifetime, ILogger<RouterWarmup> logger) : IHostedService
{
    /// <summary>A user id no client can send (it has a control character), so no real session is touched.</summary>
    private const string WarmupUser = "\u0001warmup";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => _ = WarmUpAsync(lifetime.ApplicationStopping));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task WarmUpAsync(CancellationToken stopping)
    {
        try
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var stream = cluster.GetStreamProvider(RouterStreams.ProviderName)
                .GetStream<CompletionEvent>(RouterStreams.ForRequest(Guid.NewGuid()));
            var received = System.Threading.Channels.Channel.CreateUnbounded<CompletionEvent>();
            var subscription = await stream.SubscribeAsync(
                new CompletionStreamObserver(received.Writer), StreamSubscriptionStartPosition.EarliestAvailable, null);

            // One item through the whole delivery path: producer registration, pulling agent, observer.
            await stream.OnNextAsync(CompletionEvent.Chunk("warmup", "warmup"));
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(stopping))
            {
                wait.CancelAfter(TimeSpan.FromSeconds(10));
                await received.Reader.ReadAsync(wait.Token);
            }

            await cluster.GetGrain<IClassifierGrain>(0).ClassifyAsync("hello", stopping);
            await cluster.GetGrain<IUserSessionGrain>(WarmupUser).GetSessionAsync(stopping);
            await subscription.UnsubscribeAsync();

            using var sse = new SseWriter(System.IO.Pipelines.PipeWriter.Create(Stream.Null), "warmup", Guid.Empty);
            sse.WriteToken("warmup", "warmup");
            await sse.FlushAsync(stopping);
            LogWarm(logger, (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, ex);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(2301, LogLevel.Information, "Request path warmed up in {ElapsedMs} ms")]
    private static partial void LogWarm(ILogger logger, long elapsedMs);

    [LoggerMessage(2302, LogLevel.Warning, "Warming up the request path failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
