using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Router.Grains.Generation;

/// <summary>
/// Asks each upstream server for its model list once the silo has started, as <see cref="OllamaProbe"/>
/// does for Ollama: a wrong URL, key or model name then shows in the log at once, not on the first request.
/// </summary>
internal sealed partial class UpstreamProbe(ModelBackends backends, IHostApplicationLifetime lifetime, ILogger<UpstreamProbe> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            foreach (var upstream in backends.Upstreams)
            {
                _ = ProbeAsync(upstream, lifetime.ApplicationStopping);
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task ProbeAsync(UpstreamBackend upstream, CancellationToken stopping)
    {
        var options = upstream.Options;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            var models = (await upstream.Client.GetOpenAIModelClient().GetModelsAsync(timeout.Token)).Value;
            if (models.Any(m => string.Equals(m.Id, options.EffectiveModel, StringComparison.Ordinal)))
            {
                LogReachable(logger, options.Name, options.BaseUrl, options.EffectiveModel);
            }
            else
            {
                LogModelNotListed(logger, options.Name, options.BaseUrl, options.EffectiveModel);
            }
        }
        catch (Exception ex) when (!stopping.IsCancellationRequested)
        {
            LogUnreachable(logger, options.Name, options.BaseUrl, ex.Message);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(1303, LogLevel.Information, "Upstream {Name} at {BaseUrl} answers and lists {UpstreamModel}")]
    private static partial void LogReachable(ILogger logger, string name, Uri? baseUrl, string upstreamModel);

    [LoggerMessage(1304, LogLevel.Warning, "Upstream {Name} at {BaseUrl} answers but does not list {UpstreamModel}; requests for it may end with model_not_found")]
    private static partial void LogModelNotListed(ILogger logger, string name, Uri? baseUrl, string upstreamModel);

    [LoggerMessage(1305, LogLevel.Warning, "Upstream {Name} at {BaseUrl} does not answer its model list ({Reason}); requests for it will end with an upstream error until it does")]
    private static partial void LogUnreachable(ILogger logger, string name, Uri? baseUrl, string reason);
}
