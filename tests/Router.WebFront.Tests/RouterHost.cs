using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Router.Testing;
using Router.Hosting.Management;
using Router.WebFront.Hosting;

namespace Router.WebFront.Tests;

/// <summary>The real web front (co-hosted silo, real Kestrel on 127.0.0.1) built exactly as Program builds it.</summary>
public sealed class RouterHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SiloPorts _ports;
    private Task? _stopped;

    private RouterHost(WebApplication app, SiloPorts ports, Uri baseUrl)
    {
        _app = app;
        _ports = ports;
        BaseUrl = baseUrl;
        // No response draining: a test that drops a stream must close the connection at once.
        Http = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri BaseUrl { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Where <c>/metrics</c> is served; null when the management endpoint is disabled.</summary>
    public Uri? ManagementUrl => _app.Services.GetRequiredService<ManagementServer>().Address;

    /// <param name="extend">Adds test-only endpoints to the application before it starts.</param>
    public static async Task<RouterHost> StartAsync(IDictionary<string, string?> settings, Action<WebApplication>? extend = null)
    {
        // The co-hosted silo's ports are its address, taken from configuration before it binds: reserved, not port 0.
        var ports = SiloPorts.Reserve();
        var all = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Orleans:ClusterId"] = "test-" + Guid.NewGuid().ToString("N")[..8],
            ["Serilog:MinimumLevel:Default"] = "Warning",
            // A port of its own per host: test hosts run side by side.
            ["WebFront:ManagementUrl"] = "http://127.0.0.1:0",
            // A request log of its own per host, in a temp file removed at the end.
            ["RequestLog:Path"] = Path.Combine(Path.GetTempPath(), $"router-requests-{Guid.NewGuid():N}.db"),
        };
        foreach (var (key, value) in ports.Settings) all[key] = value;
        foreach (var (key, value) in settings) all[key] = value;

        try
        {
            var args = all.Select(kv => $"--{kv.Key}={kv.Value}").ToArray();
            var app = RouterWebApplication.Create(args);
            extend?.Invoke(app);
            await app.StartAsync();
            return new RouterHost(app, ports, new Uri(app.Urls.First()));
        }
        catch
        {
            ports.Dispose();
            throw;
        }
    }

    /// <summary>Stops the host as SIGTERM would (drain, then the server and the silo); once, however often it is called.</summary>
    public Task StopAsync() => _stopped ??= _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        var log = _app.Services.GetService<Microsoft.Extensions.Options.IOptions<Router.WebFront.RequestLog.RequestLogOptions>>()?.Value.Path;
        await StopAsync();
        await _app.DisposeAsync();
        if (log is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { log, log + "-wal", log + "-shm" }) File.Delete(file);
        }

        _ports.Dispose();
    }
}
