using Router.Grains.Interfaces;
using Router.OllamaSimulator;
using Upstreams = Router.Grains.Tests.ClusterFixture.Upstreams;

namespace Router.Grains.Tests.Generation;

/// <summary>
/// Upstream models through real cluster requests: the session grain routes, the runner streams with the
/// OpenAI client from the simulator's <c>/v1/chat/completions</c> over real HTTP.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class UpstreamBackendTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_upstream_model_streams_the_simulators_text_and_usage_under_its_upstream_name_and_key()
    {
        var nonce = Guid.NewGuid().ToString("N");
        await using var reader = await CompletionStreamReader.SubscribeAsync(fixture.Client);
        var ticket = await fixture.Client.GetGrain<IUserSessionGrain>($"upstream-{nonce}")
            .StartCompletionAsync(reader.Request($"write code {nonce} [[classify:model={Upstreams.Coder}]] [[sim:tokens=7]]"));
        var items = await reader.ReadToTerminalAsync(Timeout);
        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeout);

        Assert.Null(ticket.Error);
        Assert.Equal(Upstreams.Coder, ticket.Model);
        Assert.Equal(SimulatedEndpoint.ChatCompletions, simulated.Endpoint);
        Assert.Equal("qwen2.5-coder", simulated.Model);
        Assert.Equal(ClusterFixture.UpstreamKey, simulated.ApiKey);
        Assert.True(simulated.Stream);
        Assert.Equal(SimulatedOutcome.Completed, simulated.Outcome);

        var done = items[^1];
        Assert.Equal(CompletionEventKind.Done, done.Kind);
        Assert.All(items, i => Assert.Equal(Upstreams.Coder, i.Model));
        Assert.Equal(simulated.Text, string.Concat(items.Where(i => i.Kind == CompletionEventKind.Token).Select(i => i.Text)));
        Assert.Equal(SimulatedText.Text(7), simulated.Text);
        Assert.Equal(simulated.PromptEvalCount, done.Summary!.PromptTokens);
        Assert.Equal(7, done.Summary.OutputTokens);
    }

    [Theory]
    [InlineData(Upstreams.Coder, "[[sim:status=503]]", "upstream_busy")]
    [InlineData(Upstreams.Coder, "[[sim:status=429]]", "upstream_busy")]
    [InlineData(Upstreams.Coder, "[[sim:status=500]]", "upstream_error")]
    [InlineData(Upstreams.Coder, "[[sim:cut=2,tokens=10]]", "upstream_stream_broken")]
    [InlineData(Upstreams.Coder, "[[sim:fail=2]]", "upstream_stream_broken")]
    [InlineData(Upstreams.WrongKey, "", "upstream_error")]
    [InlineData(Upstreams.Missing, "", "model_not_found")]
    [InlineData(Upstreams.Nowhere, "", "upstream_unavailable")]
    public async Task A_failing_upstream_ends_the_stream_with_its_error_item(string model, string directive, string code)
    {
        var items = await RunAsync($"fail {Guid.NewGuid():N} [[classify:model={model}]] {directive}");

        var error = items[^1];
        Assert.Equal(CompletionEventKind.Error, error.Kind);
        Assert.Equal(code, error.Error!.Code);
        Assert.Contains(model, error.Error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", error.Error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("://", error.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stalled_upstream_ends_with_upstream_timeout_and_its_connection_closed()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var items = await RunAsync($"stall {nonce} [[classify:model={Upstreams.Coder}]] [[sim:stall=1]]");

        Assert.Equal("upstream_timeout", items[^1].Error?.Code);
        Assert.Equal(SimulatedText.Text(1), string.Concat(items.Where(i => i.Kind == CompletionEventKind.Token).Select(i => i.Text)));
        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeout);
        Assert.Equal(SimulatedOutcome.ClientDisconnected, simulated.Outcome);
    }

    [Fact]
    public async Task Cancelling_an_upstream_generation_mid_stream_aborts_the_upstream_request()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var grain = fixture.Client.GetGrain<IUserSessionGrain>($"upstream-cancel-{nonce}");
        await using var reader = await CompletionStreamReader.SubscribeAsync(fixture.Client);
        var ticket = await grain.StartCompletionAsync(reader.Request($"long {nonce} [[classify:model={Upstreams.Coder}]] [[sim:tokens=1000,tps=20]]"));

        Assert.Equal(CompletionEventKind.Token, (await reader.ReadNextAsync(Timeout)).Kind);
        await fixture.Client.GetGrain<IGenerationOwnerGrain>(ticket.Silo!.ToParsableString()).CancelAsync(reader.RequestId);

        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeout);
        Assert.Equal(SimulatedOutcome.ClientDisconnected, simulated.Outcome);
        Assert.InRange(simulated.TokensSent, 1, 999);
    }

    private async Task<List<CompletionEvent>> RunAsync(string message)
    {
        await using var reader = await CompletionStreamReader.SubscribeAsync(fixture.Client);
        var ticket = await fixture.Client.GetGrain<IUserSessionGrain>($"upstream-{Guid.NewGuid():N}")
            .StartCompletionAsync(reader.Request(message));
        Assert.Null(ticket.Error);
        return await reader.ReadToTerminalAsync(Timeout);
    }
}
