using System.Diagnostics;
using System.IO.Pipelines;
using Router.Grains.Interfaces;
using Router.WebFront.Completions;
using Router.WebFront.Lanes;
using Router.WebFront.Surfaces.Complete;

namespace Router.WebFront.Hosting;

/// <summary>
/// Once the host has started, takes the first-use costs of the request path (the lanes' first
/// delivery, the classifier's first call, JIT of the SSE writer) so the first user does not pay
/// several hundred milliseconds for them. Failures only cost the first user that time again.
/// </summary>
internal sealed partial class RouterWarmup(
    IClusterClient cluster,
    LaneHub lanes,
    IConfiguration configuration,
    IHostApplicationLifetime lifetime,
    ILogger<RouterWarmup> logger) : IHostedService
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
            var started = Stopwatch.GetTimestamp();
            if (!await lanes.WaitReadyAsync(TimeSpan.FromSeconds(30), stopping)) return;

            // With a co-hosted silo, one item through every lane takes the pulling agents' first
            // registration of each lane; a client cannot publish (its queues have no reader).
            if (configuration.GetValue("WebFront:CoHostSilo", true))
            {
                foreach (var key in lanes.Keys) await SendThroughAsync(key, stopping);
            }

            await cluster.GetGrain<IClassifierGrain>(0).ClassifyAsync("hello", stopping);
            await cluster.GetGrain<IUserSessionGrain>(WarmupUser).GetSessionAsync(stopping);

            using var sse = new SseWriter(PipeWriter.Create(Stream.Null), "warmup");
            sse.WriteToken("warmup", "warmup");
            await sse.FlushAsync(stopping);
            LogWarm(logger, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, ex);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task SendThroughAsync(string laneKey, CancellationToken stopping)
    {
        var inbox = lanes.OpenOn(Guid.NewGuid(), laneKey);
        try
        {
            await cluster.GetStreamProvider(RouterStreams.ProviderName).GetStream<LaneItem>(RouterStreams.ForLane(laneKey))
                .OnNextAsync(new LaneItem(inbox.RequestId, 0, CompletionEvent.Chunk("warmup", "warmup")));
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            wait.CancelAfter(TimeSpan.FromSeconds(10));
            await inbox.Reader.ReadAsync(wait.Token);
        }
        finally
        {
            lanes.Close(inbox);
        }
    }

    [LoggerMessage(2301, LogLevel.Information, "Request path warmed up in {ElapsedMs} ms")]
    private static partial void LogWarm(ILogger logger, long elapsedMs);

    [LoggerMessage(2302, LogLevel.Warning, "Warming up the request path failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
