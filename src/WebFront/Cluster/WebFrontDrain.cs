using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Router.Grains.Interfaces;
using Router.WebFront.Options;

namespace Router.WebFront.Cluster;

/// <summary>
/// Graceful stop of the web front. When the host is asked to stop (SIGTERM), new requests are
/// refused with 503 and <c>/health</c> turns unhealthy; open streams get <see cref="WebFrontOptions.DrainTime"/>
/// to finish, then each one still open ends with a <c>shutting_down</c> error event.
/// </summary>
/// <remarks>
/// The drain runs in <see cref="StoppingAsync"/>, which the host awaits before it stops any service.
/// Kestrel's own stop unbinds its listeners and closes idle keep-alive connections at once, so if the
/// drain waited inside Kestrel's stop (as it did), a request sent during the drain met a refused
/// connection instead of the documented 503 <c>shutting_down</c>, and a load balancer polling
/// <c>/health</c> saw the port vanish instead of turning unhealthy. Holding the stop here keeps the
/// server listening, answering 503 to new requests, until the open streams are over.
/// </remarks>
public sealed partial class WebFrontDrain : IHostedLifecycleService
{
    private static readonly CompletionError Expired = new(ErrorCodes.ShuttingDown,
        "This router front end is shutting down and could not finish the answer in time; please retry.");

    private readonly ConcurrentDictionary<StreamGuard, byte> _open = new();
    private readonly WebFrontOptions _options;
    private readonly ILogger<WebFrontDrain> _logger;
    private readonly CancellationTokenSource _expired = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _draining;

    public WebFrontDrain(IHostApplicationLifetime lifetime, IOptions<WebFrontOptions> options, ILogger<WebFrontDrain> logger)
    {
        _options = options.Value;
        _logger = logger;
        // SIGTERM raises ApplicationStopping before the host calls StoppingAsync; a programmatic
        // StopAsync calls StoppingAsync first. Either way the drain begins at the first of the two.
        lifetime.ApplicationStopping.Register(BeginDrain);
        _expired.Token.Register(EndOpenStreams);
    }

    /// <summary>True once the host is stopping: new requests are refused.</summary>
    public bool IsDraining => Volatile.Read(ref _draining) == 1;

    /// <summary>Streams open right now.</summary>
    public int OpenStreams => _open.Count;

    public void Track(StreamGuard guard)
    {
        _open[guard] = 0;
        if (_expired.IsCancellationRequested) guard.End(Expired);
    }

    public void Untrack(StreamGuard guard)
    {
        _open.TryRemove(guard, out _);
        if (IsDraining && _open.IsEmpty) _drained.TrySetResult();
    }

    /// <summary>Holds the host's stop, with the server still listening, until every open stream is over.</summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        BeginDrain();
        try
        {
            await _drained.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout ran out first: Kestrel's stop aborts what is left.
            DrainAbandoned(_logger, _open.Count);
        }
    }

    private void BeginDrain()
    {
        if (Interlocked.Exchange(ref _draining, 1) == 1) return;
        DrainStarted(_logger, _open.Count, _options.DrainTime.TotalSeconds);
        if (_open.IsEmpty) _drained.TrySetResult();
        _expired.CancelAfter(_options.DrainTime);
    }

    private void EndOpenStreams()
    {
        // The timer outlives a drain that finished early (the host may still be stopping other services):
        // only streams it really ended are worth a warning.
        var ended = _open.Keys.Count(g => g.End(Expired));
        if (ended > 0) DrainExpired(_logger, ended);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(2201, LogLevel.Information, "Stopping: refusing new requests; {Streams} open streams get {DrainSeconds} s to finish")]
    private static partial void DrainStarted(ILogger logger, int streams, double drainSeconds);

    [LoggerMessage(2202, LogLevel.Warning, "Drain time over: {Streams} streams still open were ended with an error event")]
    private static partial void DrainExpired(ILogger logger, int streams);

    [LoggerMessage(2203, LogLevel.Warning, "Shutdown timeout reached with {Streams} streams still open; the server stops with them")]
    private static partial void DrainAbandoned(ILogger logger, int streams);
}
