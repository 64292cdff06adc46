using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Router.Grains.Diagnostics;
using Microsoft.Extensions.AI;
using OllamaSharp;
using Router.Grains.Generation;
using Router.Grains.Interfaces;
using Router.Grains.Options;
using Router.OllamaSimulator;
using Router.Testing;
using Xunit.Abstractions;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Router.Grains.Tests.Generation;

/// <summary>
/// Which replica a request goes to, and when it moves: the model's chat client from
/// <see cref="ModelBackends"/> against simulators of its own, over real HTTP (no cluster).
/// </summary>
public sealed class ReplicaSelectionTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private OllamaSimulator.OllamaSimulator _a = null!;
    private OllamaSimulator.OllamaSimulator _b = null!;

    public async Task InitializeAsync()
    {
        _a = await OllamaSimulator.OllamaSimulator.StartAsync(new SimulatorOptions { TimeToFirstTokenMs = 0, TokensPerSecond = 0, ResponseTokens = 3 });
        _b = await OllamaSimulator.OllamaSimulator.StartAsync(new SimulatorOptions { TimeToFirstTokenMs = 0, TokensPerSecond = 0, ResponseTokens = 3 });
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    [Fact]
    public async Task Concurrent_slow_requests_split_over_two_healthy_replicas()
    {
        using var backends = Backends(new OllamaOptions { Endpoints = [_a.BaseUrl, _b.BaseUrl] });
        var chat = backends.Find("llama3.2")!;
        using var stop = new CancellationTokenSource();

        // Each answer sends one token and then holds its connection: all of them stay in flight together.
        const int requests = 6;
        var held = await Task.WhenAll(Enumerable.Range(0, requests).Select(i => HoldAsync(chat, $"held {i} [[sim:stall=1]]", stop.Token)));
        var (onA, onB) = (_a.Journal.ActiveStreams, _b.Journal.ActiveStreams);
        Assert.Equal(requests, onA + onB);
        Assert.True(Math.Abs(onA - onB) <= 1, $"in flight: {onA} on one replica, {onB} on the other");
        output.WriteLine($"{requests} held requests: {onA} on one replica, {onB} on the other");

        // A cancelled answer still closes its connection at once, on whichever replica it is.
        await stop.CancelAsync();
        foreach (var stream in held) await DrainCancelledAsync(stream);
        for (var i = 0; i < requests; i++)
        {
            var text = $"held {i} ";
            var request = await WaitOnEitherAsync(text);
            Assert.Equal(SimulatedOutcome.ClientDisconnected, request.Outcome);
        }
    }

    [Fact]
    public async Task A_replica_busy_with_a_long_answer_gets_no_new_requests_while_the_other_is_idle()
    {
        using var backends = Backends(new OllamaOptions { Endpoints = [_a.BaseUrl, _b.BaseUrl] });
        var chat = backends.Find("llama3.2")!;
        using var stop = new CancellationTokenSource();
        var longOne = await HoldAsync(chat, "long one [[sim:stall=1]]", stop.Token);
        var (busy, idle) = _a.Journal.ActiveStreams == 1 ? (_a, _b) : (_b, _a);
        Assert.Equal(1, busy.Journal.ActiveStreams);

        // Round-robin would send every other one to the busy replica; fewest-in-flight sends none.
        for (var i = 0; i < 4; i++)
        {
            var nonce = Guid.NewGuid().ToString("N");
            var response = await chat.GetResponseAsync($"short {nonce}", new ChatOptions { ModelId = "llama3.2" });
            Assert.Equal(SimulatedText.Text(3), response.Text);
            Assert.Equal(SimulatedOutcome.Completed, (await idle.Journal.WaitForMessageAsync(nonce, Timeout)).Outcome);
        }

        Assert.DoesNotContain(busy.Journal.Requests, r => r.LastUserMessage?.StartsWith("short ", StringComparison.Ordinal) == true);
        await stop.CancelAsync();
        await DrainCancelledAsync(longOne);
    }

    [Fact]
    public async Task No_first_token_within_the_limit_moves_the_request_and_aborts_the_slow_replica()
    {
        _a.Configure(o => o.TimeToFirstTokenMs = 60_000);
        using var meter = new BackendMeter();
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var instruments = new RouterInstruments(services.GetRequiredService<IMeterFactory>());

        // Long enough for the first request of a fresh connection to reach the slow replica, and for the
        // other replica to answer in what is left, on a busy machine (2 s fell short with every test project running).
        var options = new OllamaOptions { Endpoints = [_a.BaseUrl, _b.BaseUrl], FirstTokenTimeout = TimeSpan.FromSeconds(5) };
        using var backends = new ModelBackends(MsOptions.Create(options), instruments: instruments);

        // A fresh pool starts at its first replica: the slow one.
        var nonce = Guid.NewGuid().ToString("N");
        var response = await backends.Find("llama3.2")!.GetResponseAsync($"slow {nonce}", new ChatOptions { ModelId = "llama3.2" });
        Assert.Equal(SimulatedText.Text(3), response.Text);
        Assert.Equal(SimulatedOutcome.Completed, (await _b.Journal.WaitForMessageAsync(nonce, Timeout)).Outcome);
        Assert.Equal(1, meter.Total("router.backend.failovers", ReplicaClusterFixture.Endpoint(_a.BaseUrl), "first_token_timeout"));
        Assert.Equal(SimulatedOutcome.ClientDisconnected, (await _a.Journal.WaitForMessageAsync(nonce, Timeout)).Outcome);
    }

    [Fact]
    public async Task When_every_replica_fails_before_the_first_token_the_last_failure_is_the_answer()
    {
        _b.Configure(o => o.FailStatus = 503);
        using var refused = RefusedPort.Reserve();
        using var backends = Backends(new OllamaOptions { Endpoints = [refused.Url, _b.BaseUrl] });
        var ex = await Assert.ThrowsAsync<BackendFailureException>(() =>
            backends.Find("llama3.2")!.GetResponseAsync("nobody answers", new ChatOptions { ModelId = "llama3.2" }));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, Assert.IsType<HttpRequestException>(ex.InnerException).StatusCode);
        Assert.Equal("ollama_busy", ex.Error.Code);
    }

    [Fact]
    public void One_endpoint_keeps_the_plain_client_and_a_list_of_them_gets_the_failover_client()
    {
        using var single = Backends(new OllamaOptions { Endpoints = [_a.BaseUrl] });
        Assert.Same(single.Ollama, single.Find("llama3.2")?.GetService<OllamaApiClient>());
        Assert.Null(single.Find("llama3.2")?.GetService<ReplicaFailoverChatClient>());

        using var replicas = Backends(new OllamaOptions
        {
            Models = ["llama3.2", "deepseek-r1"],
            Endpoints = [_a.BaseUrl, _b.BaseUrl],
            ModelEndpoints = { ["deepseek-r1"] = [_b.BaseUrl] },
        });
        var failover = replicas.Find("llama3.2:1b")?.GetService<ReplicaFailoverChatClient>();
        Assert.NotNull(failover);
        Assert.Equal([_a.BaseUrl, _b.BaseUrl], failover.Pool.Replicas.Select(r => r.BaseUrl));

        // A server listed twice is one replica: its client (and so its in-flight count and health) is shared.
        Assert.Same(failover.Pool.Replicas[1].Api, replicas.Find("deepseek-r1")?.GetService<OllamaApiClient>());
    }

    private static ModelBackends Backends(OllamaOptions options) => new(MsOptions.Create(options));

    /// <summary>Starts an answer and reads its first update; the enumerator is left open (in flight).</summary>
    private static async Task<IAsyncEnumerator<ChatResponseUpdate>> HoldAsync(IChatClient chat, string message, CancellationToken token)
    {
        var stream = chat.GetStreamingResponseAsync(message, new ChatOptions { ModelId = "llama3.2" }, token).GetAsyncEnumerator(token);
        Assert.True(await stream.MoveNextAsync(), $"no first update for '{message}'");
        return stream;
    }

    private static async Task DrainCancelledAsync(IAsyncEnumerator<ChatResponseUpdate> stream)
    {
        try
        {
            while (await stream.MoveNextAsync())
            {
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            await stream.DisposeAsync();
        }
    }

    private async Task<SimulatedRequest> WaitOnEitherAsync(string text)
    {
        bool Matches(SimulatedRequest r) => r.LastUserMessage?.StartsWith(text, StringComparison.Ordinal) == true;
        var onA = _a.Journal.WaitForAsync(Matches, Timeout);
        var onB = _b.Journal.WaitForAsync(Matches, Timeout);
        var first = await Task.WhenAny(onA, onB);
        return await first;
    }
}
