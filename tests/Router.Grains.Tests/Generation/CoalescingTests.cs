using Router.Grains.Interfaces;
using Router.Grains.Options;

namespace Router.Grains.Tests.Generation;

[Collection(ClusterCollection.Name)]
public sealed class CoalescingTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_busy_silo_merges_fast_tokens_into_fewer_chunks_and_loses_none()
    {
        // One running generation counts as busy here, so the window is the maximum: 100 ms over
        // tokens 5 ms apart.
        var stream = new RecordingStream();
        using var runner = new StandaloneRunner(fixture, stream, new GenerationOptions
        {
            CoalesceWindow = TimeSpan.FromMilliseconds(2),
            MaxCoalesceWindow = TimeSpan.FromMilliseconds(100),
            BusyGenerations = 1,
        });
        var nonce = Guid.NewGuid().ToString("N");
        runner.Start($"busy {nonce} [[sim:tokens=60,tps=200]]");

        var terminal = await stream.Terminal.WaitAsync(TimeSpan.FromSeconds(20));
        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, TimeSpan.FromSeconds(20));

        Assert.Equal(CompletionEventKind.Done, terminal.Kind);
        Assert.Equal(simulated.Text, string.Concat(stream.Chunks));
        Assert.True(stream.Chunks.Count <= 15, $"60 tokens over ~300 ms should make a handful of chunks, got {stream.Chunks.Count}");
    }

    [Fact]
    public async Task An_idle_silo_sends_paced_tokens_one_chunk_each()
    {
        var stream = new RecordingStream();
        using var runner = new StandaloneRunner(fixture, stream, new GenerationOptions
        {
            CoalesceWindow = TimeSpan.FromMilliseconds(2),
            MaxCoalesceWindow = TimeSpan.FromMilliseconds(100),
            BusyGenerations = 1000,
        });
        var nonce = Guid.NewGuid().ToString("N");
        runner.Start($"idle {nonce} [[sim:tokens=6,tps=20]]");

        await stream.Terminal.WaitAsync(TimeSpan.FromSeconds(20));
        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, TimeSpan.FromSeconds(20));

        Assert.Equal(simulated.Text, string.Concat(stream.Chunks));
        Assert.Equal(6, stream.Chunks.Count);
    }
}
