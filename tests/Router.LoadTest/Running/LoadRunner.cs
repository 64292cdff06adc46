using System.Diagnostics;
using Router.LoadTest.Clients;
using Router.LoadTest.Options;
using Router.LoadTest.Workload;

namespace Router.LoadTest.Running;

/// <summary>
/// Drives one target with the configured load shape: a closed loop of N streams, or open arrivals
/// at R requests/s. New requests stop at the duration or request limit; in-flight ones then finish
/// (each bounded by the client timeout).
/// </summary>
internal sealed class LoadRunner(StreamClient client, RequestPlan plan, LoadTestOptions options, TextWriter progressOut)
{
    private readonly ResultCollector _collector = new();
    private long _issued;
    private long _skipped;
    private long _startTicks;
    private long _stopTicks;
    private long _limit;

    public async Task<RunResult> RunAsync(CancellationToken abort)
    {
        var startedAt = DateTimeOffset.UtcNow;
        _startTicks = Stopwatch.GetTimestamp();
        _stopTicks = options.EffectiveDuration is { } d ? _startTicks + (long)(d.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        _limit = options.Requests is { } n ? options.Warmup + n : long.MaxValue;

        var series = new List<SeriesPoint>();
        var progress = new ProgressPrinter(client.Name, progressOut, options.Quiet);
        using var stopTicker = new CancellationTokenSource();
        var ticker = TickAsync(series, progress, stopTicker.Token);

        if (options.Rate is { } rate)
        {
            await OpenLoopAsync(rate, abort).ConfigureAwait(false);
        }
        else
        {
            await ClosedLoopAsync(options.EffectiveConcurrency, abort).ConfigureAwait(false);
        }

        var end = Stopwatch.GetTimestamp();
        await stopTicker.CancelAsync().ConfigureAwait(false);
        var lastTick = await ticker.ConfigureAwait(false);
        var tail = Seconds(end - lastTick);
        if (tail > 0.05)
        {
            // The last bucket is partial; rates stay per whole second so a short tail does not spike the chart.
            var point = _collector.Sample(Seconds(end - _startTicks), Math.Max(tail, 1.0));
            series.Add(point);
            progress.Print(point);
        }

        progress.Finish();
        return new RunResult(
            client.Name,
            client.Endpoint,
            options.DescribeLoad(),
            startedAt,
            Seconds(end - _startTicks),
            _collector.Snapshot(),
            series,
            Interlocked.Read(ref _skipped),
            abort.IsCancellationRequested);
    }

    private async Task ClosedLoopAsync(int concurrency, CancellationToken abort)
    {
        var workers = new Task[concurrency];
        for (var k = 0; k < concurrency; k++)
        {
            // The ramp staggers the workers' first requests evenly.
            var delay = options.Ramp * k / concurrency;
            workers[k] = Task.Run(() => WorkerAsync(delay, abort), CancellationToken.None);
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    private async Task WorkerAsync(TimeSpan delay, CancellationToken abort)
    {
        if (delay > TimeSpan.Zero && !await DelayUntilAsync(_startTicks + (long)(delay.TotalSeconds * Stopwatch.Frequency), abort).ConfigureAwait(false))
        {
            return;
        }

        while (!abort.IsCancellationRequested && Stopwatch.GetTimestamp() < _stopTicks)
        {
            var index = Interlocked.Increment(ref _issued) - 1;
            if (index >= _limit)
            {
                return;
            }

            await ExecuteAsync(index, abort).ConfigureAwait(false);
        }
    }

    private async Task OpenLoopAsync(double rate, CancellationToken abort)
    {
        var ramp = options.Ramp.TotalSeconds;
        // Arrivals due by time t: the integral of a rate that grows linearly over the ramp, then stays flat.
        double Due(double t) => ramp <= 0 ? rate * t : t < ramp ? rate * t * t / (2 * ramp) : (rate * ramp / 2) + (rate * (t - ramp));

        var inFlight = new List<Task>(1024);
        long scheduled = 0;
        var done = false;
        while (!done && !abort.IsCancellationRequested)
        {
            var now = Stopwatch.GetTimestamp();
            if (now >= _stopTicks)
            {
                break;
            }

            var due = (long)Due(Seconds(now - _startTicks)) + 1;
            for (; scheduled < due; scheduled++)
            {
                if (_collector.Active >= options.MaxInFlight)
                {
                    Interlocked.Increment(ref _skipped);
                    continue;
                }

                var index = Interlocked.Increment(ref _issued) - 1;
                if (index >= _limit)
                {
                    done = true;
                    break;
                }

                _collector.OnStarted();
                inFlight.Add(Task.Run(() => ExecuteStartedAsync(index, abort), CancellationToken.None));
            }

            if (inFlight.Count > 4096)
            {
                inFlight.RemoveAll(t => t.IsCompleted);
            }

            try
            {
                await Task.Delay(1, abort).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await Task.WhenAll(inFlight).ConfigureAwait(false);
    }

    private Task ExecuteAsync(long index, CancellationToken abort)
    {
        _collector.OnStarted();
        return ExecuteStartedAsync(index, abort);
    }

    private async Task ExecuteStartedAsync(long index, CancellationToken abort)
    {
        var planned = plan.Get(index);
        var record = new RequestRecord { Index = index, Warmup = planned.Warmup };
        try
        {
            await client.RunAsync(record, planned, options.Timeout, _collector, abort).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A bug in the client must show up as an outcome, not kill the worker silently.
            record.Outcome = OutcomeKind.StreamFailed;
            record.Detail = "client error: " + ex.Message;
            record.EndTicks = Stopwatch.GetTimestamp();
            record.StartTicks = record.StartTicks == 0 ? record.EndTicks : record.StartTicks;
        }
        finally
        {
            _collector.OnFinished(record);
        }
    }

    private async Task<long> TickAsync(List<SeriesPoint> series, ProgressPrinter progress, CancellationToken stop)
    {
        var last = _startTicks;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                var now = Stopwatch.GetTimestamp();
                var point = _collector.Sample(Seconds(now - _startTicks), Seconds(now - last));
                last = now;
                series.Add(point);
                progress.Print(point);
            }
        }
        catch (OperationCanceledException)
        {
        }

        return last;
    }

    private static async Task<bool> DelayUntilAsync(long ticks, CancellationToken abort)
    {
        var wait = Seconds(ticks - Stopwatch.GetTimestamp());
        if (wait <= 0)
        {
            return true;
        }

        try
        {
            await Task.Delay(TimeSpan.FromSeconds(wait), abort).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static double Seconds(long ticks) => (double)ticks / Stopwatch.Frequency;
}
