using Router.Grains.Interfaces;
using Router.Grains.Options;

namespace Router.Grains.Tests.Generation;

/// <summary>
/// A lane queue is bounded (<c>Streaming:QueueCapacity</c>) and has no back-pressure: a publish to a full
/// one fails. The runner must turn that into a <c>stream_overloaded</c> error item, not leave the client
/// waiting; the refusal comes from the production lane queue itself (<see cref="FullLaneQueue"/>).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class StreamOverloadTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_full_stream_queue_ends_the_stream_with_a_stream_overloaded_error()
    {
        var stream = new RecordingStream(acceptedTokens: 2);
        using var runner = new StandaloneRunner(fixture, stream, new GenerationOptions { CoalesceWindow = TimeSpan.Zero, MaxCoalesceWindow = TimeSpan.Zero });

        var nonce = Guid.NewGuid().ToString("N");
        runner.Start($"long {nonce} [[sim:tokens=200,tps=100]]");

        var terminal = await stream.Terminal.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(CompletionEventKind.Error, terminal.Kind);
        Assert.Equal("stream_overloaded", terminal.Error!.Code);
        Assert.Equal(2, stream.Tokens);

        // The backend request was abandoned rather than left running for nobody.
        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, TimeSpan.FromSeconds(20));
        Assert.True(simulated.TokensSent < 200, $"the backend sent all {simulated.TokensSent} tokens");
    }
}
