using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Router.Grains.Options;

namespace Router.Grains.Generation;

/// <summary>
/// Asks Ollama for its version once the silo has started: the log then says at once whether the
/// backend is reachable, and the HTTP path to it is warm before the first request.
/// </summary>
internal sealed partial class OllamaProbe(ModelBackends backends, IOptions<OllamaOptions> options, IHostApplicationLifetime lifetime, ILogger<OllamaProbe> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => _ = ProbeAsync(lifetime.ApplicationStopping));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task ProbeAsync(CancellationToken stopping)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            var version = await backends.Ollama.GetVersionAsync(timeout.Token);
            LogReachable(logger, options.Value.BaseUrl, version.ToString());
        }
        catch (Exception ex) when (!stopping.IsCancellationRequested)
        {
            LogUnreachable(logger, options.Value.BaseUrl, ex.Message);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(1301, LogLevel.Information, "Ollama at {BaseUrl} answers, version {Version}")]
    private static partial void LogReachable(ILogger logger, Uri baseUrl, string version);

    [LoggerMessage(1302, LogLevel.Warning, "Ollama at {BaseUrl} does not answer ({Reason}); requests for its models will end with ollama_unavailable until it does")]
    private static partial void LogUnreachable(ILogger logger, Uri baseUrl, string reason);
}
