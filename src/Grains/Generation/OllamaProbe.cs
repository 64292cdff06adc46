using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Router.Grains.Generation;

/// <summary>
/// Asks each Ollama server for its version once the silo has started: the log then says at once
/// whether the backend is reachable, and the HTTP path to it is warm before the first request. It
/// only reports: a replica that does not answer here is taken out by the first request it fails.
/// </summary>
internal sealed partial class OllamaProbe(ModelBackends backends, IHostApplicationLifetime lifetime, ILogger<OllamaProbe> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            foreach (var replica in backends.OllamaReplicas) _ = ProbeAsync(replica, lifetime.ApplicationStopping);
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task ProbeAsync(OllamaReplica replica, CancellationToken stopping)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            var version = await replica.Api.GetVersionAsync(timeout.Token);
            LogReachable(logger, replica.BaseUrl, version.ToString());
        }
        catch (Exception ex) when (!stopping.IsCancellationRequested)
        {
            if (backends.OllamaReplicas.Skip(1).Any()) LogReplicaUnreachable(logger, replica.BaseUrl, ex.Message);
            else LogUnreachable(logger, replica.BaseUrl, ex.Message);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(1301, LogLevel.Information, "Ollama at {BaseUrl} answers, version {Version}")]
    private static partial void LogReachable(ILogger logger, Uri baseUrl, string version);

    [LoggerMessage(1302, LogLevel.Warning, "Ollama at {BaseUrl} does not answer ({Reason}); requests for its models will end with ollama_unavailable until it does")]
    private static partial void LogUnreachable(ILogger logger, Uri baseUrl, string reason);

    [LoggerMessage(1506, LogLevel.Warning, "Ollama replica {BaseUrl} does not answer ({Reason}); the first request it fails takes it out of rotation, unseen by the client")]
    private static partial void LogReplicaUnreachable(ILogger logger, Uri baseUrl, string reason);
}
