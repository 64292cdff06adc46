using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;

namespace Router.Hosting.Management;

/// <summary>Where a host's management endpoint listens (<see cref="Url"/>, empty: off), and the setting that said so.</summary>
public sealed record ManagementEndpoint(string Setting, string? Url);

/// <summary>
/// A second, small Kestrel server for operators only (loopback by default) that serves
/// <c>/metrics</c>, on a web front (<c>WebFront:ManagementUrl</c>) and on a silo
/// (<c>Silo:ManagementUrl</c>). The metrics name models, error rates and runtime internals, so they
/// stay off the public port; a server of its own keeps that true whatever <c>--urls</c> binds.
/// </summary>
public sealed partial class ManagementServer(
    ManagementEndpoint endpoint,
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
        var url = endpoint.Url;
        if (string.IsNullOrWhiteSpace(url))
        {
            LogDisabled(logger, endpoint.Setting);
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
            throw new InvalidOperationException($"{endpoint.Setting} {url} cannot be listened on: {ex.Message}", ex);
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

    [LoggerMessage(2502, LogLevel.Information, "Management endpoint disabled ({Setting} is empty); metrics are not served over HTTP")]
    private static partial void LogDisabled(ILogger logger, string setting);
}
