using Router.Testing;

namespace Router.Cluster.Tests.Infrastructure;

/// <summary>
/// Silos and web fronts as separate processes on 127.0.0.1, joined through Redis membership with
/// Redis grain state, under a cluster id of their own.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private LocalCluster(string clusterId, string logDirectory)
    {
        ClusterId = clusterId;
        LogDirectory = logDirectory;
    }

    public string ClusterId { get; }

    public string LogDirectory { get; }

    public List<RouterProcess> Silos { get; } = [];

    public List<WebFrontProcess> WebFronts { get; } = [];

    /// <summary>The silos' ports, held until the silos are gone.</summary>
    private List<SiloPorts> Ports { get; } = [];

    public static async Task<LocalCluster> StartAsync(
        ClusterServices services, int silos, int webFronts,
        IReadOnlyDictionary<string, string>? siloSettings = null,
        IReadOnlyDictionary<string, string>? webFrontSettings = null)
    {
        var clusterId = "test-" + Guid.NewGuid().ToString("N")[..8];
        var logs = Path.Combine(TestRunDirectory.Path, clusterId);
        Directory.CreateDirectory(logs);
        var cluster = new LocalCluster(clusterId, logs);
        try
        {
            for (var i = 0; i < silos; i++)
            {
                var settings = services.CommonSettings(clusterId);
                // A silo's ports are its address in the membership table, built from the configured numbers
                // before it binds (Orleans has no port 0 for them), so they are reserved for it beforehand.
                var ports = SiloPorts.Reserve();
                cluster.Ports.Add(ports);
                foreach (var (key, value) in ports.Settings) settings[key] = value;
                Merge(settings, siloSettings);
                cluster.Silos.Add(RouterProcess.Start($"silo{i + 1}", RepoPaths.SiloDll, settings, logs));
            }

            await Task.WhenAll(cluster.Silos.Select(s => s.WaitForLineAsync("Silo active", StartTimeout)));

            // Web fronts listen on port 0 and the test reads the port each one bound from its log.
            var starting = new List<RouterProcess>();
            for (var i = 0; i < webFronts; i++)
            {
                var settings = services.CommonSettings(clusterId);
                settings["WebFront:CoHostSilo"] = "false";
                settings["urls"] = "http://127.0.0.1:0";
                settings["WebFront:ManagementUrl"] = "http://127.0.0.1:0";
                settings["Serilog:MinimumLevel:Override:Microsoft.Hosting.Lifetime"] = "Information";
                settings["WebFront:KeepAliveInterval"] = "00:00:01";
                Merge(settings, webFrontSettings);
                starting.Add(RouterProcess.Start($"webfront{i + 1}", RepoPaths.WebFrontDll, settings, logs));
            }

            foreach (var process in starting)
            {
                cluster.WebFronts.Add(new WebFrontProcess(process, await ListeningUrlAsync(process)));
            }

            await Task.WhenAll(cluster.WebFronts.Select(w => w.WaitHealthyAsync(StartTimeout)));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>The public address a web front bound: its "Now listening on" line that is not the management endpoint.</summary>
    private static async Task<Uri> ListeningUrlAsync(RouterProcess process)
    {
        const string Listening = "Now listening on: ";
        var management = await process.WaitForLineAsync(l => l.Contains("Management endpoint", StringComparison.Ordinal), "its management endpoint", StartTimeout);
        var managementPort = new Uri(management[(management.LastIndexOf(" on ", StringComparison.Ordinal) + 4)..].Trim()).Port;
        var line = await process.WaitForLineAsync(
            l => l.Contains(Listening, StringComparison.Ordinal) && new Uri(l[(l.IndexOf(Listening, StringComparison.Ordinal) + Listening.Length)..].Trim()).Port != managementPort,
            "its public address", StartTimeout);
        return new Uri(line[(line.IndexOf(Listening, StringComparison.Ordinal) + Listening.Length)..].Trim());
    }

    private static void Merge(Dictionary<string, string> target, IReadOnlyDictionary<string, string>? extra)
    {
        if (extra is null) return;
        foreach (var (key, value) in extra) target[key] = value;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var webFront in WebFronts) await webFront.DisposeAsync();
        foreach (var silo in Silos) await silo.DisposeAsync();
        foreach (var ports in Ports) ports.Dispose();
    }
}

/// <summary>A web front process and an HTTP client for it.</summary>
public sealed class WebFrontProcess(RouterProcess process, Uri baseUrl) : IAsyncDisposable
{
    public RouterProcess Process { get; } = process;

    public Uri BaseUrl { get; } = baseUrl;

    public HttpClient Http { get; } = new(new SocketsHttpHandler { MaxResponseDrainSize = 0, MaxConnectionsPerServer = 1000 })
    {
        BaseAddress = baseUrl,
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public async Task WaitHealthyAsync(TimeSpan timeout)
    {
        // Readiness of another process: /health is asked on a short period until the deadline.
        var deadline = DateTime.UtcNow + timeout;
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        while (DateTime.UtcNow < deadline)
        {
            if (Process.HasExited) throw new InvalidOperationException($"{Process.Name} exited during start. Log: {Process.LogPath}\n{Process.Tail(30)}");
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                using var response = await Http.GetAsync("/health", cts.Token);
                if (response.IsSuccessStatusCode) return;
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
            }

            await poll.WaitForNextTickAsync();
        }

        throw new TimeoutException($"{Process.Name} not healthy within {timeout.TotalSeconds:0} s. Log: {Process.LogPath}\n{Process.Tail(30)}");
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Process.DisposeAsync();
    }
}
