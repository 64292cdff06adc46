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

    private RouterHost(WebApplication app, Uri baseUrl)
    {
        _app = app;
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
        var all = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Orleans:SiloPort"] = FreePorts.Next().ToString(),
            ["Orleans:GatewayPort"] = FreePorts.Next().ToString(),
            ["Orleans:ClusterId"] = "test-" + Guid.NewGuid().ToString("N")[..8],
            ["Serilog:MinimumLevel:Default"] = "Warning",
            // A port of its own per host: test hosts run side by side.
            ["WebFront:ManagementUrl"] = "http://127.0.0.1:0",
            // A request log of its own per host, in a temp file removed at the end.
            ["RequestLog:Path"] = Path.Combine(Path.GetTempPath(), $"router-requests-{Guid.NewGuid():N}.db"),
        };
        foreach (var (key, value) in settings) all[key] = value;

        var args = all.Select(kv => $"--{kv.Key}={kv.Value}").ToArray();
        var app = RouterWebApplication.Create(args);
        extend?.Invoke(app);
        await app.StartAsync();
        return new RouterHost(app, new Uri(app.Urls.First()));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        var log = _app.Services.GetService<Microsoft.Extensions.Options.IOptions<Router.WebFront.RequestLog.RequestLogOptions>>()?.Value.Path;
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (log is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { log, log + "-wal", log + "-shm" }) File.Delete(file);
        }
    }
}
