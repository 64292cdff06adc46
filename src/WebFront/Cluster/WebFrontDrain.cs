using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Router.Grains.Interfaces;
using Router.WebFront.Options;

namespace Router.WebFront.Cluster;

/// <summary>
/// Graceful stop of the web front. When the host is asked to stop (SIGTERM), new requests are
/// refused with 503 and <c>/health</c> turns unhealthy; open streams get <see cref="WebFrontOptions.DrainTime"/>
/// to finish, then each one still open ends with a <c>shutting_down</c> error event. Kestrel waits
/// for them before the Orleans client stops, because the web server is the first service to stop.
/// </summary>
public sealed partial class WebFrontDrain : IHostedService
{
    private static readonly CompletionError Expired = new(ErrorCodes.ShuttingDown,
        "This router front end is shutting down and could not finish the answer in time; please retry.");

    private readonly ConcurrentDictionary<StreamGuard, byte> _open = new();
    private readonly WebFrontOptions _options;
    private readonly ILogger<WebFrontDrain> _logger;
    private readonly CancellationTokenSource _expired = new();
    private volatile bool _draining;

    public WebFrontDrain(IHostApplicationLifetime lifetime, IOptions<WebFrontOptions> options, ILogger<WebFrontDrain> logger)
    {
        _options = options.Value;
        _logger = logger;
        lifetime.ApplicationStopping.Register(BeginDrain);
        _expired.Token.Register(EndOpenStreams);
    }

    /// <summary>True once the host is stopping: new requests are refused.</summary>
    public bool IsDraining => _draining;

    /// <summary>Streams open right now.</summary>
    public int OpenStreams => _open.Count;

    public void Track(StreamGuard guard)
    {
        _open[guard] = 0;
        if (_expired.IsCancellationRequested) guard.End(Expired);
    }

    public void Untrack(StreamGuard guard) => _open.TryRemove(guard, out _);

    private void BeginDrain()
    {
        _draining = true;
        DrainStarted(_logger, _open.Count, _options.DrainTime.TotalSeconds);
        _expired.CancelAfter(_options.DrainTime);
    }

    private void EndOpenStreams()
    {
        var ended = _open.Keys.Count(g => g.End(Expired));
        DrainExpired(_logger, ended);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(2201, LogLevel.Information, "Stopping: refusing new requests; {Streams} open streams get {DrainSeconds} s to finish")]
    private static partial void DrainStarted(ILogger logger, int streams, double drainSeconds);

    [LoggerMessage(2202, LogLevel.Warning, "Drain time over: {Streams} streams still open were ended with an error event")]
    private static partial void DrainExpired(ILogger logger, int streams);
}
