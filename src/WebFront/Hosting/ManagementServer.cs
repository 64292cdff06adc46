using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Router.WebFront.Options;

namespace Router.WebFront.Hosting;

/// <summary>
/// A second, small Kestrel server for operators only (<c>WebFront:ManagementUrl</c>, loopback by
/// default) that serves <c>/metrics</c>. The metrics name models, error rates and runtime internals,
/// so they stay off the public port; a server of its own keeps that true whatever <c>--urls</c> binds.
/// </summary>
public sealed partial class ManagementServer(
    IOptions<WebFrontOptions> options,
    MeterProvider meterProvider,
    ILoggerFactory loggerFactory,
    ILogger<ManagementServer> logger) : IHostedService, IAsyncDisposable
{
    public const string MetricsPath = "/metrics";

    private WebApplication? _app;

    /// <summary>Where the management endpoint listens once started; null when it is disabled.</summary>
    public Uri? Address { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var url = options.Value.ManagementUrl;
        if (string.IsNullOrWhiteSpace(url))
        {
            LogDisabled(logger);
            return;
        }

        // Nothing of the public host's configuration is read (no --urls, no Kestrel section): this
        // server listens where the setting says and nowhere else.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls(url);
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        var app = builder.Build();
        app.MapPrometheusScrapingEndpoint(MetricsPath, meterProvider, configureBranchedPipeline: null, optionsName: null);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync();
            throw new InvalidOperationException($"WebFront:ManagementUrl {url} cannot be listened on: {ex.Message}", ex);
        }

        _app = app;
        Address = new Uri(app.Urls.First());
        LogListening(logger, Address);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null) await _app.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }

    [LoggerMessage(2501, LogLevel.Information, "Management endpoint (metrics at /metrics) listening on {Address}")]
    private static partial void LogListening(ILogger logger, Uri address);

    [LoggerMessage(2502, LogLevel.Information, "Management endpoint disabled (WebFront:ManagementUrl is empty); metrics are not served over HTTP")]
    private static partial void LogDisabled(ILogger logger);
}
