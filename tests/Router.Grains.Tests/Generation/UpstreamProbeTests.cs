using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Router.Grains.Generation;
using Router.Grains.Options;
using Router.Testing;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Router.Grains.Tests.Generation;

/// <summary>The start-up probe asks each upstream for its model list with the real OpenAI client and logs what it found.</summary>
public sealed class UpstreamProbeTests
{
    [Fact]
    public async Task Each_upstream_is_logged_as_listing_its_model_not_listing_it_or_unreachable()
    {
        await using var simulator = await OllamaSimulator.OllamaSimulator.StartAsync(new() { ApiKey = "sk-probe" });
        var upstreams = new UpstreamsOptions();
        var v1 = simulator.OpenAIBaseUrl;
        upstreams.Models.Add(new UpstreamOptions { Name = "listed", BaseUrl = v1, ApiKey = "sk-probe", Model = "deepseek-r1" });
        upstreams.Models.Add(new UpstreamOptions { Name = "unlisted", BaseUrl = v1, ApiKey = "sk-probe", Model = "gpt-none" });
        upstreams.Models.Add(new UpstreamOptions { Name = "refused", BaseUrl = v1, ApiKey = "sk-wrong" });
        using var nowhere = RefusedPort.Reserve();
        upstreams.Models.Add(new UpstreamOptions { Name = "nowhere", BaseUrl = new Uri(nowhere.Url, "v1") });
        using var backends = new ModelBackends(MsOptions.Create(new OllamaOptions()), MsOptions.Create(upstreams));
        var logger = new RecordingLogger(expected: 4);
        var lifetime = new StartedLifetime();

        await new UpstreamProbe(backends, lifetime, logger).StartAsync(CancellationToken.None);
        lifetime.Start();
        var records = await logger.All.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(1303, Single(records, "listed").EventId.Id);
        Assert.Equal(1304, Single(records, "unlisted").EventId.Id);
        Assert.Equal(1305, Single(records, "refused").EventId.Id);
        Assert.Equal(1305, Single(records, "nowhere").EventId.Id);
    }

    private static (EventId EventId, string Message) Single(IEnumerable<(EventId EventId, string Message)> records, string name) =>
        Assert.Single(records, r => r.Message.StartsWith($"Upstream {name} ", StringComparison.Ordinal));

    private sealed class RecordingLogger(int expected) : ILogger<UpstreamProbe>
    {
        private readonly ConcurrentQueue<(EventId, string)> _records = new();
        private readonly TaskCompletionSource<IReadOnlyList<(EventId EventId, string Message)>> _all = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<IReadOnlyList<(EventId EventId, string Message)>> All => _all.Task;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            _records.Enqueue((eventId, formatter(state, exception)));
            if (_records.Count >= expected) _all.TrySetResult([.. _records]);
        }
    }

    private sealed class StartedLifetime : IHostApplicationLifetime
    {
        private readonly CancellationTokenSource _started = new();

        public CancellationToken ApplicationStarted => _started.Token;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void Start() => _started.Cancel();

        public void StopApplication()
        {
        }
    }
}
