using System.Diagnostics;
using Router.OllamaSimulator;
using Router.Testing;
using Router.WebFront.Tests.Auth;

namespace Router.WebFront.Tests.Deploy;

/// <summary>
/// The web front (co-hosted silo) as a process of its own, as it runs in production, against the
/// simulator; for reading its <c>/metrics</c>. Its own process because a test process holds many
/// routers whose meters share names, and what one of them exports would then depend on the others.
/// It records every kind of metric the dashboard draws: keys (for limits and their 429s), prices
/// (spend), and two Ollama replicas of which the first refuses connections (replica health and a failover).
/// </summary>
public sealed class MetricsRouterFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly RefusedPort _deadReplica = RefusedPort.Reserve();
    private readonly ReservedPort _publicPort = ReservedPort.Reserve();
    private readonly ReservedPort _managementPort = ReservedPort.Reserve();
    private readonly SiloPorts _siloPorts = SiloPorts.Reserve();
    private readonly string _requestLog = Path.Combine(Path.GetTempPath(), $"router-metrics-{Guid.NewGuid():N}.db");
    private readonly List<string> _output = [];
    private Process? _router;
    private OllamaSimulator.OllamaSimulator? _simulator;
    private ClassifierStub? _classifier;

    public HttpClient Http { get; private set; } = null!;

    public Uri ManagementUrl { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _simulator = await OllamaSimulator.OllamaSimulator.StartAsync(new SimulatorOptions { TimeToFirstTokenMs = 20, TokensPerSecond = 200, ResponseTokens = 10 });
        _classifier = await ClassifierStub.StartAsync();
        var settings = RouterFixture.DefaultSettings(_simulator, _classifier);
        var baseUrl = new Uri($"http://127.0.0.1:{_publicPort}/");
        ManagementUrl = new Uri($"http://127.0.0.1:{_managementPort}/");
        settings["urls"] = baseUrl.ToString().TrimEnd('/');
        settings["WebFront:ManagementUrl"] = ManagementUrl.ToString().TrimEnd('/');
        foreach (var (key, value) in _siloPorts.Settings) settings[key] = value;
        settings["Orleans:ClusterId"] = "metrics-" + Guid.NewGuid().ToString("N")[..8];
        settings["RequestLog:Path"] = _requestLog;
        settings["RequestLog:FlushInterval"] = "00:00:00.050";
        settings["Auth:Mode"] = "Keys";
        settings["Auth:AdminKey"] = KeysRouterFixture.AdminKey;
        settings["Auth:AdminRequestsPerMinute"] = "100000";
        settings["Pricing:Models:llama3.2:Input"] = "0.15";
        settings["Pricing:Models:llama3.2:Output"] = "0.6";
        settings["Ollama:Endpoints:0"] = _deadReplica.Url.ToString();
        settings["Ollama:Endpoints:1"] = _simulator.BaseUrl.ToString();

        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = AppContext.BaseDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Router.WebFront.dll"));
        foreach (var (key, value) in settings) info.ArgumentList.Add($"--{key}={value}");
        info.Environment["DOTNET_gcServer"] = "0";
        _router = new Process { StartInfo = info };
        _router.OutputDataReceived += (_, e) => Keep(e.Data);
        _router.ErrorDataReceived += (_, e) => Keep(e.Data);
        _router.Start();
        _router.BeginOutputReadLine();
        _router.BeginErrorReadLine();

        Http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };
        await WaitUntilServingAsync();
    }

    /// <summary>The router's output so far, for failure messages.</summary>
    public string Output()
    {
        lock (_output) return string.Join('\n', _output.TakeLast(40));
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_output) _output.Add(line);
        if (StartedLines.Any(started => line.Contains(started, StringComparison.Ordinal))) _started.TrySetResult();
    }

    // The router's warm-up ends with one of these once the host has started (the silo, the management endpoint, the public
    // server) and its lanes deliver (RouterWarmup).
    private static readonly string[] StartedLines = ["Request path warmed up", "Warming up the request path failed"];
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Until the router says it has started and warmed up; then the public port answers /health and the management port /metrics.</summary>
    private async Task WaitUntilServingAsync()
    {
        var exited = _router!.WaitForExitAsync();
        var done = await Task.WhenAny(_started.Task, exited).WaitAsync(StartTimeout).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : null);
        Assert.True(done == _started.Task, done == exited
            ? $"the router process ended while starting:\n{Output()}"
            : $"the router did not start within {StartTimeout.TotalSeconds} s:\n{Output()}");

        using var management = new HttpClient { BaseAddress = ManagementUrl, Timeout = TimeSpan.FromSeconds(10) };
        using var health = await Http.GetAsync("/health");
        using var metrics = await management.GetAsync("/metrics");
        Assert.True(health.IsSuccessStatusCode && metrics.IsSuccessStatusCode,
            $"started, but /health answered {(int)health.StatusCode} and /metrics {(int)metrics.StatusCode}:\n{Output()}");
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (_router is { HasExited: false })
        {
            _router.Kill();
            await _router.WaitForExitAsync();
        }

        _router?.Dispose();
        if (_classifier is not null) await _classifier.DisposeAsync();
        if (_simulator is not null) await _simulator.DisposeAsync();
        _deadReplica.Dispose();
        _publicPort.Dispose();
        _managementPort.Dispose();
        _siloPorts.Dispose();
        foreach (var file in new[] { _requestLog, _requestLog + "-wal", _requestLog + "-shm" }) File.Delete(file);
    }
}

[CollectionDefinition(Name)]
public sealed class MetricsRouterCollection : ICollectionFixture<MetricsRouterFixture>
{
    public const string Name = "Metrics router (own process)";
}
