using Microsoft.Extensions.DependencyInjection;
using Router.Testing;
using Router.WebFront.Cluster;
using Router.WebFront.Tests.Hosting;

namespace Router.WebFront.Tests.Cluster;

/// <summary>
/// The web front's drain through its real host stop, in process: while a stream the simulator holds keeps the
/// drain open, the server still listens, and new requests reach the router and get 503 <c>shutting_down</c>.
/// </summary>
public sealed class WebFrontDrainTests : IAsyncLifetime
{
    private OllamaSimulator.OllamaSimulator _simulator = null!;
    private ClassifierStub _classifier = null!;
    private RouterHost _router = null!;

    public async Task InitializeAsync()
    {
        _simulator = await OllamaSimulator.OllamaSimulator.StartAsync(new() { TimeToFirstTokenMs = 20, TokensPerSecond = 200, ResponseTokens = 10 });
        _classifier = await ClassifierStub.StartAsync();
        var settings = RouterFixture.DefaultSettings(_simulator, _classifier);
        settings["WebFront:DrainTime"] = "00:01:00";
        _router = await RouterHost.StartAsync(settings);
    }

    [Theory]
    [InlineData("/complete")]
    [InlineData("/v1/chat/completions")]
    [InlineData("/api/chat")]
    public async Task During_the_drain_new_requests_reach_the_router_and_get_503_shutting_down(string route)
    {
        const string Hold = "drain-open";
        await using var open = await SseClient.PostAsync(_router.Http, $"open across the stop [[sim:tokens=3,hold={Hold},holdafter=1]]", "drain-user", Timeouts.Token());
        Assert.Equal(200, (int)open.Response.StatusCode);
        await _simulator.Holds.WaitUntilHeldAsync(Hold, Timeouts.Event);

        var stopping = _router.StopAsync();
        var drain = _router.Services.GetRequiredService<WebFrontDrain>();
        await WaitUntilAsync(() => drain.IsDraining, "the drain to begin after the stop was asked");

        // Connections of their own: nothing pooled from before the stop decides what they meet.
        using var fresh = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { BaseAddress = _router.BaseUrl };
        using (var request = SurfaceRequests.For(route, "after the stop [[sim:tokens=2]]"))
        using (var refused = await fresh.SendAsync(request, Timeouts.Token()))
        {
            var code = await SurfaceRequests.AssertErrorAsync(refused, route, 503);
            if (!route.StartsWith("/api/", StringComparison.Ordinal)) Assert.Equal("shutting_down", code);
        }

        using (var health = await fresh.GetAsync("/health", Timeouts.Token()))
        {
            Assert.Equal(503, (int)health.StatusCode);
        }

        Assert.False(stopping.IsCompleted, "the host stopped while a stream was still open (the drain did not hold the stop)");

        _simulator.Holds.Release(Hold);
        var events = await open.ReadToEndAsync(Timeouts.Token());
        Assert.True(events[^1].IsDone, "the stream open across the stop did not end with done: " + string.Join(" | ", events.Select(e => e.Data.ToString())));
        await stopping.WaitAsync(Timeouts.Event);
    }

    /// <summary>Polls an in-process flag on a short period: the drain raises no event a test can await.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition, string phase)
    {
        var deadline = DateTime.UtcNow + Timeouts.Event;
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"waiting for {phase}: not within {Timeouts.Event.TotalSeconds:0} s");
            await poll.WaitForNextTickAsync();
        }
    }

    public async Task DisposeAsync()
    {
        await _router.DisposeAsync();
        await _classifier.DisposeAsync();
        await _simulator.DisposeAsync();
    }
}
