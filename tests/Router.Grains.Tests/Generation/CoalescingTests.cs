using Router.Grains.Interfaces;
using Router.Grains.Options;
using Router.OllamaSimulator;

namespace Router.Grains.Tests.Generation;

/// <summary>
/// How tokens become chunks. Both tests fix the order of events instead of relying on token pacing:
/// one holds a publish in flight while the backend finishes, the other has the backend hold its
/// answer open half-way.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class CoalescingTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Tokens_that_queue_behind_a_publish_in_flight_go_out_merged_and_none_is_lost()
    {
        const int tokens = 60;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stream = new RecordingStream(holdFirstChunk: release.Task);
        using var runner = new StandaloneRunner(fixture, stream, new GenerationOptions
        {
            CoalesceWindow = TimeSpan.FromMilliseconds(2),
            MaxCoalesceWindow = TimeSpan.FromMilliseconds(100),
            BusyGenerations = 1,
        });
        var nonce = Guid.NewGuid().ToString("N");
        runner.Start($"busy {nonce} [[sim:tokens={tokens},tps=1000]]");

        await stream.FirstChunkOffered.WaitAsync(Timeout);
        // The backend sends its whole answer while the first publish is still in flight.
        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeout);
        release.SetResult();

        var terminal = await stream.Terminal.WaitAsync(Timeout);
        Assert.Equal(CompletionEventKind.Done, terminal.Kind);
        Assert.Equal(tokens, simulated.TokensSent);
        Assert.Equal(simulated.Text, stream.Text);
        Assert.True(stream.Chunks.Count < tokens, $"the {tokens} tokens queued behind the held publish went out one per chunk");
    }

    [Fact]
    public async Task Tokens_reach_the_stream_while_the_backend_is_still_answering()
    {
        var stream = new RecordingStream();
        using var runner = new StandaloneRunner(fixture, stream, new GenerationOptions
        {
            CoalesceWindow = TimeSpan.FromMilliseconds(2),
            MaxCoalesceWindow = TimeSpan.FromMilliseconds(100),
            BusyGenerations = 1000,
        });
        var nonce = Guid.NewGuid().ToString("N");
        // The simulator sends 3 of 6 tokens, then holds the answer until the test is done with it.
        var job = runner.Start($"idle {nonce} [[sim:tokens=6,hold={nonce},holdafter=3]]");

        await stream.WaitForTextAsync(SimulatedText.Text(3), Timeout);
        var inFlight = fixture.Simulator.Journal.Requests.Single(r => r.LastUserMessage?.Contains(nonce, StringComparison.Ordinal) == true);
        Assert.False(inFlight.IsTerminal, "the tokens were held back until the backend's answer ended");
        Assert.Equal(3, inFlight.TokensSent);

        runner.Runner.Cancel(job.Spec.RequestId);
        var abandoned = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeout);
        Assert.Equal(3, abandoned.TokensSent);
    }
}
