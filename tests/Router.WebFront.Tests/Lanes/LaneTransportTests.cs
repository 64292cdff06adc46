using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Router.Grains.Interfaces;
using Router.OllamaSimulator;
using Router.Testing;
using Router.WebFront.Lanes;

namespace Router.WebFront.Tests.Lanes;

/// <summary>The lanes end to end: real Kestrel, a co-hosted silo, the simulator over real HTTP.</summary>
[Collection(RouterCollection.Name)]
public sealed class LaneTransportTests(RouterFixture fixture)
{
    private LaneHub Hub => fixture.Router.Services.GetRequiredService<LaneHub>();

    [Fact]
    public async Task Many_concurrent_requests_each_get_their_own_tokens_complete_and_in_order()
    {
        const int requests = 60;
        var runs = Enumerable.Range(0, requests).Select(async i =>
        {
            // Different lengths and speeds, so a chunk delivered to the wrong request would show.
            var tokens = 20 + i;
            var nonce = Guid.NewGuid().ToString("N");
            await using var sse = await SseClient.PostAsync(fixture.Http, $"lanes {nonce} [[sim:tokens={tokens},tps={100 + 7 * i}]]", $"lane-user-{i}", Timeouts.Token());
            var events = await sse.ReadToEndAsync(Timeouts.Token());
            return (tokens, events);
        });

        foreach (var (tokens, events) in await Task.WhenAll(runs))
        {
            Assert.True(events[^1].IsDone, $"a {tokens}-token answer ended with {events[^1].Data}");
            Assert.Equal(SimulatedText.Text(tokens), string.Concat(events.Where(e => !e.IsDone).Select(e => e.Message)));
        }

        Assert.Equal(0, Hub.OpenInboxes);
    }

    [Fact]
    public async Task A_gap_in_a_requests_sequence_ends_it_with_stream_interrupted_and_stops_its_generation()
    {
        var nonce = Guid.NewGuid().ToString("N");
        await using var sse = await SseClient.PostAsync(fixture.Http, $"gap {nonce} [[sim:hold={nonce}]]", "gap-user", Timeouts.Token());
        var requestId = Guid.Parse(sse.Response.Headers.GetValues("x-request-id").Single());
        await fixture.Simulator.Holds.WaitUntilHeldAsync(nonce, Timeouts.Event);

        // An item numbered 3 where 0 is due, through the real lane: as if items 0-2 were lost.
        var lane = Hub.LaneOf(requestId);
        Assert.NotNull(lane);
        var client = fixture.Router.Services.GetRequiredService<IClusterClient>();
        await client.GetStreamProvider(RouterStreams.ProviderName).GetStream<LaneItem>(RouterStreams.ForLane(lane))
            .OnNextAsync(new LaneItem(requestId, 3, CompletionEvent.Chunk("llama3.2", "late ")));

        var events = await sse.ReadToEndAsync(Timeouts.Token());
        var error = Assert.Single(events);
        Assert.True(error.IsError);
        Assert.Equal("stream_interrupted", error.Data.GetProperty("error").GetString());
        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        Assert.Equal(SimulatedOutcome.ClientDisconnected, simulated.Outcome);
    }

}

/// <summary>A client that stops reading while the model writes fast overflows its small buffer.</summary>
[Collection(SmallBufferRouterCollection.Name)]
public sealed class SlowReaderTests(SmallBufferRouterFixture fixture)
{
    /// <summary>Far more than the path to a client that does not read can hold (a few hundred KB of events), so the answer must back up.</summary>
    private const int FloodTokens = 50_000;

    [Fact]
    public async Task A_client_that_does_not_read_ends_with_client_too_slow_and_its_generation_is_stopped()
    {
        var nonce = Guid.NewGuid().ToString("N");
        // The sockets on both ends have small fixed buffers (see the fixture and the client), so between the
        // request's buffer and this client lie only Kestrel's response pipe and a few KB of socket buffers:
        // the overflow comes after a bounded amount of text, however slowly a busy machine produces it.
        using var http = SmallReceiveBufferClient(fixture.Router.BaseUrl);
        // After the flood the answer holds (never released), so it cannot complete before the router stops it:
        // the only way it ends is the router leaving the backend's call.
        await using var sse = await SseClient.PostAsync(http, $"flood {nonce} [[sim:tokens={FloodTokens + 1},tps=1000000,hold={nonce},holdafter={FloodTokens}]]", "slow-reader", Timeouts.Token());
        Assert.Equal(200, (int)sse.Response.StatusCode);

        // Not reading: the answer backs up through the sockets into the request's buffer.
        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, TimeSpan.FromSeconds(60));
        Assert.Equal(SimulatedOutcome.ClientDisconnected, simulated.Outcome);
        Assert.True(simulated.TokensSent <= FloodTokens, $"the simulator sent {simulated.TokensSent} tokens, past its hold");

        var events = await sse.ReadToEndAsync(Timeouts.Token());
        var last = events[^1];
        Assert.True(last.IsError, $"the stream ended with {last.Data}");
        Assert.Equal("client_too_slow", last.Data.GetProperty("error").GetString());
    }

    /// <summary>A client whose sockets get a small receive buffer before they connect, so the TCP window stays small.</summary>
    private static HttpClient SmallReceiveBufferClient(Uri baseUrl) => new(new SocketsHttpHandler
    {
        MaxResponseDrainSize = 0,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { ReceiveBufferSize = 4 * 1024, NoDelay = true };
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };
}

/// <summary>
/// A request buffer of 16 KB, and a router whose accepted sockets have a small fixed send buffer: left to
/// itself, loopback autotunes a send buffer up to several MB, which a slow reader's test would have to
/// fill before the request's buffer sees any pressure.
/// </summary>
public sealed class SmallBufferRouterFixture : RouterFixture
{
    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["WebFront:MaxBufferedBytes"] = "16384";
        // The flood must outlast the path's buffers: the answer caps are raised out of its way.
        settings["Generation:MaxOutputTokens"] = "1000000";
        settings["Generation:MaxOutputBytes"] = "20000000";
    }

    protected override void ConfigureApp(WebApplication app)
    {
        // Read by the socket transport when the server starts, which is after this. An accepted socket
        // inherits the listening socket's buffer sizes, and a size set by hand is not autotuned.
        var transport = app.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value;
        transport.CreateBoundListenSocket = endpoint =>
        {
            var socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
            socket.SendBufferSize = 8 * 1024;
            return socket;
        };
    }
}

[CollectionDefinition(Name)]
public sealed class SmallBufferRouterCollection : ICollectionFixture<SmallBufferRouterFixture>
{
    public const string Name = "router with a small request buffer";
}

/// <summary>
/// Lanes lost on purpose, on a router of their own, so that the requests a lost lane ends are only
/// these tests' own. A renewed lane must carry answers again: its new subscriber may be started at an
/// item its queue's cache already dropped, which the lane queue cache turns into a start at the oldest
/// item held (before, every read of that queue failed with <c>QueueCacheMissException</c> and the
/// lane's answers hung).
/// </summary>
[Collection(LostLaneRouterCollection.Name)]
public sealed class LostLaneTests(LostLaneRouterFixture fixture)
{
    /// <summary>
    /// Bounds a test's first request up to its first token: whichever test runs first on this fixture's
    /// fresh router pays the start (the lanes' first subscriptions, the warm-up, first grain activations),
    /// which on a loaded machine beside other routers takes many seconds.
    /// </summary>
    private static readonly TimeSpan FirstRequest = TimeSpan.FromSeconds(60);

    private LaneHub Hub => fixture.Router.Services.GetRequiredService<LaneHub>();

    private static CancellationToken FirstRequestToken() => new CancellationTokenSource(FirstRequest).Token;

    [Fact]
    public async Task A_lost_lane_after_the_first_token_is_recovered_by_a_resume_on_another_lane_and_is_subscribed_again()
    {
        var nonce = Guid.NewGuid().ToString("N");
        await using var sse = await CompleteStream.PostAsync(fixture.Http, $"lost lane {nonce} [[sim:tokens=40,tps=100,hold={nonce},holdafter=1]]", "lost-lane-user", FirstRequestToken());
        var requestId = Guid.Parse(sse.RequestId);
        var lane = Hub.LaneOf(requestId)!;
        var first = await sse.NextAsync(FirstRequestToken());
        Assert.False(first!.IsError);

        // The backend holds the rest of the answer until the lane is gone.
        await Hub.DropSubscriptionAsync(Hub.Keys.ToList().IndexOf(lane));
        fixture.Simulator.Holds.Release(nonce);
        var events = new[] { first }.Concat(await sse.ReadToEndAsync(Timeouts.Token())).ToList();

        // The owner resumed the answer after the last item received: every event once, in order.
        Assert.True(events[^1].IsDone, $"the answer ended with {events[^1].Data}");
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.Id ?? -1));
        Assert.Equal(SimulatedText.Text(40), string.Concat(events.Where(e => !e.IsDone).Select(e => e.Message)));
        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        Assert.Equal(SimulatedOutcome.Completed, simulated.Outcome);
        Assert.Single(fixture.Simulator.Journal.Requests, r => r.LastUserMessage?.Contains(nonce) == true);

        // Every lane carries answers again (requests go round the lanes).
        for (var i = 0; i < Hub.Keys.Count * 2; i++)
        {
            await using var next = await SseClient.PostAsync(fixture.Http, $"after the loss {i} [[sim:tokens=3]]", "lost-lane-user", Timeouts.Token());
            var after = await next.ReadToEndAsync(Timeouts.Token());
            Assert.True(after[^1].IsDone, $"request {i} after the loss ended with {after[^1].Data}");
        }
    }

    [Fact]
    public async Task A_request_whose_lane_is_lost_before_its_first_token_goes_on_unseen_on_another_lane()
    {
        var nonce = Guid.NewGuid().ToString("N");
        await using var sse = await CompleteStream.PostAsync(fixture.Http, $"retry {nonce} [[sim:tokens=4,hold={nonce}]]", "lane-retry-user", FirstRequestToken());
        var requestId = Guid.Parse(sse.RequestId);

        // The backend holds the first token until the lane is gone.
        await fixture.Simulator.Holds.WaitUntilHeldAsync(nonce, FirstRequest);
        await Hub.DropSubscriptionAsync(Hub.Keys.ToList().IndexOf(Hub.LaneOf(requestId)!));
        fixture.Simulator.Holds.Release(nonce);
        // The recovery has a bound of its own, from the loss on.
        var events = await sse.ReadToEndAsync(Timeouts.Token());

        var done = events[^1];
        Assert.True(done.IsDone, $"the answer ended with {done.Data}");
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.Id ?? -1));
        Assert.Equal(SimulatedText.Text(4), string.Concat(events.Where(e => !e.IsDone).Select(e => e.Message)));

        // Resumed from its owner, not started again: the same request, one generation at the backend.
        Assert.Equal(requestId.ToString(), done.Data.GetProperty("request_id").GetString());
        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        Assert.Equal(SimulatedOutcome.Completed, simulated.Outcome);
        Assert.Single(fixture.Simulator.Journal.Requests, r => r.LastUserMessage?.Contains(nonce) == true);
    }
}

public sealed class LostLaneRouterFixture : RouterFixture;

[CollectionDefinition(Name)]
public sealed class LostLaneRouterCollection : ICollectionFixture<LostLaneRouterFixture>
{
    public const string Name = "router whose lanes are lost on purpose";
}
