using Router.Grains.Interfaces;
using Router.OllamaSimulator;
using Xunit.Abstractions;

namespace Router.Grains.Tests.Generation;

/// <summary>
/// Replicas through the whole silo path (session grain, runner, lane stream), over real HTTP with
/// the real OllamaSharp client: failures before the first token are invisible, one after it is the
/// stream's error item, and a replica that failed comes back once its probe answers.
/// </summary>
[Collection(ReplicaClusterCollection.Name)]
public sealed class ReplicaFailoverTests(ReplicaClusterFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Refused_and_busy_replicas_are_invisible_and_a_cut_after_the_first_token_is_an_error()
    {
        using var meter = new BackendMeter();
        var refused = ReplicaClusterFixture.Endpoint(fixture.Refused);
        var busy = ReplicaClusterFixture.Endpoint(fixture.Busy.BaseUrl);

        // The first request of each silo tries the replicas in configuration order: refused, busy, then healthy.
        const int requests = 4;
        for (var i = 0; i < requests; i++)
        {
            var nonce = Guid.NewGuid().ToString("N");
            var items = await CompleteAsync($"replicas-{nonce}", $"hello {nonce}");
            Assert.Equal(CompletionEventKind.Done, items[^1].Kind);
            Assert.DoesNotContain(items, item => item.Kind == CompletionEventKind.Error);
            Assert.Equal(SimulatedText.Text(ReplicaClusterFixture.ResponseTokens), Text(items));
            Assert.Equal(SimulatedOutcome.Completed, (await fixture.Healthy.Journal.WaitForMessageAsync(nonce, Timeout)).Outcome);
        }

        // Both bad replicas were really tried, and the clients saw none of it.
        var busyAnswers = fixture.Busy.Journal.Requests.Where(r => r.LastUserMessage?.StartsWith("hello ", StringComparison.Ordinal) == true).ToList();
        Assert.NotEmpty(busyAnswers);
        Assert.All(busyAnswers, r => Assert.Equal(503, r.StatusCode));
        Assert.True(meter.Total("router.backend.failovers", refused, "unreachable") >= 1, "no request left the refusing replica for another one");
        Assert.True(meter.Total("router.backend.failovers", busy, "http_503") >= 1, "no request left the busy replica for another one");

        output.WriteLine($"{requests} requests done with the healthy replica's text; busy answered 503 to {busyAnswers.Count}; " +
            $"failovers off refused: {meter.Total("router.backend.failovers", refused)}, off busy: {meter.Total("router.backend.failovers", busy)}");

        // After the first token nothing can be taken back: the stream ends with its error item.
        var cut = Guid.NewGuid().ToString("N");
        var broken = await CompleteAsync($"replicas-cut-{cut}", $"cut {cut} [[sim:cut=2,tokens=6]]");
        Assert.Equal(CompletionEventKind.Error, broken[^1].Kind);
        Assert.Equal("ollama_stream_broken", broken[^1].Error?.Code);
        Assert.Equal(SimulatedText.Text(2), Text(broken));
        Assert.Equal(SimulatedOutcome.Cut, (await fixture.Healthy.Journal.WaitForMessageAsync(cut, Timeout)).Outcome);
    }

    [Fact]
    public async Task A_failing_replica_is_probed_back_into_rotation_once_it_answers()
    {
        using var meter = new BackendMeter();
        var flaky = ReplicaClusterFixture.Endpoint(fixture.Flaky.BaseUrl);

        // The first request of a silo tries flaky first; its 503 is invisible and takes it out.
        var first = Guid.NewGuid().ToString("N");
        var items = await CompleteAsync($"flaky-{first}", $"[[classify:code]] first {first}");
        Assert.Equal(CompletionEventKind.Done, items[^1].Kind);
        Assert.Equal(SimulatedText.Text(ReplicaClusterFixture.ResponseTokens), Text(items));
        Assert.Equal(503, (await fixture.Flaky.Journal.WaitForMessageAsync(first, Timeout)).StatusCode);
        Assert.Equal(SimulatedOutcome.Completed, (await fixture.Steady.Journal.WaitForMessageAsync(first, Timeout)).Outcome);
        var takenOut = await meter.WaitForAsync("router.backend.healthy", flaky, "0", Timeout, "flaky taken out");

        // Out of rotation it is probed, and refused while it still fails.
        await meter.WaitForAsync("router.backend.probes", flaky, "failed", Timeout, "first probe of flaky");
        fixture.Flaky.Configure(o => o.FailStatus = null);
        await meter.WaitForAsync("router.backend.probes", flaky, "answered", Timeout, "probe after flaky recovered");

        // Back on the silo that took it out (the other silo may never have).
        await meter.WaitForAsync(
            m => m.Sequence > takenOut.Sequence && m.Source == takenOut.Source && m.Instrument == "router.backend.healthy" && m.Endpoint == flaky && m.Label == "1",
            Timeout, "flaky back in rotation on the silo that took it out");

        // Traffic returns to it: sequential requests alternate between two idle replicas.
        var returned = false;
        var sent = 0;
        for (var i = 0; i < 8 && !returned; i++)
        {
            var nonce = Guid.NewGuid().ToString("N");
            var answer = await CompleteAsync($"flaky-{i}-{nonce}", $"[[classify:code]] again {nonce}");
            sent++;
            Assert.Equal(CompletionEventKind.Done, answer[^1].Kind);
            returned = fixture.Flaky.Journal.Requests.Any(r => r.LastUserMessage?.Contains(nonce, StringComparison.Ordinal) == true
                && r.Outcome == SimulatedOutcome.Completed);
        }

        Assert.True(returned, "no request was answered by the recovered replica");
        output.WriteLine($"flaky probes failed: {meter.Total("router.backend.probes", flaky, "failed")}, answered: {meter.Total("router.backend.probes", flaky, "answered")}; " +
            $"requests until one was answered by it again: {sent}");
    }

    [Fact]
    public async Task A_server_that_refused_connections_gets_traffic_again_once_it_listens()
    {
        using var meter = new BackendMeter();
        var gone = ReplicaClusterFixture.Endpoint(fixture.Gone);

        var first = Guid.NewGuid().ToString("N");
        var items = await CompleteAsync($"gone-{first}", $"[[classify:math]] first {first}");
        Assert.Equal(CompletionEventKind.Done, items[^1].Kind);
        Assert.Equal(SimulatedOutcome.Completed, (await fixture.Steady.Journal.WaitForMessageAsync(first, Timeout)).Outcome);
        await meter.WaitForAsync("router.backend.healthy", gone, "0", Timeout, "refusing replica taken out");
        await meter.WaitForAsync("router.backend.probes", gone, "failed", Timeout, "probe while nothing listens");

        // A server starts on the same port, as a restarted Ollama would.
        var goneUrl = fixture.Gone;
        fixture.FreeGonePort();
        var returned = fixture.Returned = await OllamaSimulator.OllamaSimulator.StartOnAsync(goneUrl, new SimulatorOptions
        {
            TimeToFirstTokenMs = 10, TokensPerSecond = 200, ResponseTokens = ReplicaClusterFixture.ResponseTokens,
        });
        await meter.WaitForAsync("router.backend.probes", gone, "answered", Timeout, "probe after the server came back");

        var served = false;
        for (var i = 0; i < 8 && !served; i++)
        {
            var nonce = Guid.NewGuid().ToString("N");
            Assert.Equal(CompletionEventKind.Done, (await CompleteAsync($"gone-{i}-{nonce}", $"[[classify:math]] again {nonce}"))[^1].Kind);
            served = returned.Journal.Requests.Any(r => r.LastUserMessage?.Contains(nonce, StringComparison.Ordinal) == true && r.Outcome == SimulatedOutcome.Completed);
        }

        Assert.True(served, "no request was answered by the server that came back");
    }

    private async Task<List<CompletionEvent>> CompleteAsync(string user, string message)
    {
        await using var reader = await CompletionStreamReader.SubscribeAsync(fixture.Client);
        var ticket = await fixture.Client.GetGrain<IUserSessionGrain>(user).StartCompletionAsync(reader.Request(message));
        Assert.Null(ticket.Error);
        return await reader.ReadToTerminalAsync(Timeout);
    }

    private static string Text(IEnumerable<CompletionEvent> items) =>
        string.Concat(items.Where(i => i.Kind == CompletionEventKind.Token).Select(i => i.Text));
}
