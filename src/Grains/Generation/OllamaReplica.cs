using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using OllamaSharp;
using Polly;
using Polly.Retry;
using Router.Grains.Diagnostics;
using Router.Grains.Generation.Ollama;
using Router.Grains.Generation.Pipeline;
using Router.Grains.Options;

namespace Router.Grains.Generation;

/// <summary>
/// One Ollama server of a model's replicas: its clients, the requests it has open, and whether it is
/// in rotation. A replica that fails is taken out and probed with <c>GET /api/version</c>, with a
/// growing pause between probes, until it answers; then it is back in rotation.
/// </summary>
internal sealed partial class OllamaReplica : IDisposable
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    private readonly OllamaOptions _options;
    private readonly RouterInstruments? _instruments;
    private readonly ILogger _logger;
    private readonly CancellationToken _stopping;
    private readonly ResiliencePipeline _probes;
    private int _inFlight;
    private int _healthy = 1;

    public OllamaReplica(Uri baseUrl, HttpClient http, OllamaOptions options, RouterInstruments? instruments, ILogger logger, CancellationToken stopping)
    {
        BaseUrl = baseUrl;
        Endpoint = $"{baseUrl.Host}:{baseUrl.Port}";
        Api = new OllamaChatApiClient(http);
        Chat = ((IChatClient)Api).AsBuilder().UseConnectionAbort().Build();
        _options = options;
        _instruments = instruments;
        _logger = logger;
        _stopping = stopping;

        // Probing until the replica answers is a retry with exponential backoff; jitter keeps the
        // silos of a cluster from probing a recovering server all in the same instant.
        _probes = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is not null && !_stopping.IsCancellationRequested),
                BackoffType = DelayBackoffType.Exponential,
                Delay = options.ProbeBackoff * 2,
                MaxDelay = options.MaxProbeBackoff,
                UseJitter = true,
                MaxRetryAttempts = int.MaxValue,
                OnRetry = args =>
                {
                    _instruments?.BackendProbed(Endpoint, answered: false);
                    LogProbeFailed(_logger, Endpoint, args.Outcome.Exception?.Message, (long)args.RetryDelay.TotalMilliseconds);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    public Uri BaseUrl { get; }

    /// <summary>Host and port: what logs and metrics name the replica by.</summary>
    public string Endpoint { get; }

    /// <summary>Ollama's API on this server, for probes (<c>/api/version</c>) and streamed answers read directly.</summary>
    public OllamaChatApiClient Api { get; }

    /// <summary>The chat client of this server: OllamaSharp's, whose calls close their connection when cancelled.</summary>
    public IChatClient Chat { get; }

    public int InFlight => Volatile.Read(ref _inFlight);

    public bool IsHealthy => Volatile.Read(ref _healthy) == 1;

    public void Enter()
    {
        Interlocked.Increment(ref _inFlight);
        _instruments?.BackendRequestStarted(Endpoint);
    }

    public void Exit()
    {
        Interlocked.Decrement(ref _inFlight);
        _instruments?.BackendRequestEnded(Endpoint);
    }

    /// <summary>Takes the replica out of rotation and starts probing it; a replica already out stays on its schedule.</summary>
    public void Eject(string reason)
    {
        if (Interlocked.CompareExchange(ref _healthy, 0, 1) != 1 || _stopping.IsCancellationRequested) return;
        LogEjected(_logger, Endpoint, reason, (long)_options.ProbeBackoff.TotalMilliseconds);
        _ = Task.Run(ProbeUntilBackAsync);
    }

    private async Task ProbeUntilBackAsync()
    {
        try
        {
            // Not at once: a replica that just timed out or was busy usually still answers /api/version.
            await Task.Delay(_options.ProbeBackoff, _stopping);
            var version = await _probes.ExecuteAsync(async token =>
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
                timeout.CancelAfter(ProbeTimeout);
                return await Api.GetVersionAsync(timeout.Token);
            }, _stopping);

            _instruments?.BackendProbed(Endpoint, answered: true);
            Volatile.Write(ref _healthy, 1);
            LogBack(_logger, Endpoint, version.ToString());
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>Reports this replica's health in <c>router.backend.healthy</c>; only replicas of a pool have one to report.</summary>
    public void ReportHealth() => _instruments?.TrackBackend(this, Endpoint, () => IsHealthy);

    public void Dispose()
    {
        _instruments?.UntrackBackend(this);
        Chat.Dispose();
    }

    [LoggerMessage(1503, LogLevel.Warning, "Ollama replica {Endpoint} taken out of rotation ({Reason}); first probe in {BackoffMs} ms")]
    private static partial void LogEjected(ILogger logger, string endpoint, string reason, long backoffMs);

    [LoggerMessage(1504, LogLevel.Debug, "Probe of Ollama replica {Endpoint} failed ({Reason}); next probe in {DelayMs} ms")]
    private static partial void LogProbeFailed(ILogger logger, string endpoint, string? reason, long delayMs);

    [LoggerMessage(1505, LogLevel.Information, "Ollama replica {Endpoint} answers its probe again (version {Version}); back in rotation")]
    private static partial void LogBack(ILogger logger, string endpoint, string version);
}
