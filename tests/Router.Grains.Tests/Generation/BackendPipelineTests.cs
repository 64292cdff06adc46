using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.AI;
using Router.Grains.Diagnostics;
using Router.Grains.Generation;
using Router.Grains.Interfaces;
using Router.Grains.Options;
using Router.OllamaSimulator;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Router.Grains.Tests.Generation;

/// <summary>
/// The pipelines <see cref="ModelBackends"/> builds, end to end over real HTTP to the simulator: the
/// limits end a silent backend with the backend's own code and close its connection, and every call
/// leaves a GenAI span.
/// </summary>
public sealed class BackendPipelineTests : IAsyncLifetime
{
    private const string Upstream = "pipeline-upstream";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private OllamaSimulator.OllamaSimulator _simulator = null!;

    public async Task InitializeAsync() =>
        _simulator = await OllamaSimulator.OllamaSimulator.StartAsync(new SimulatorOptions { TimeToFirstTokenMs = 0, TokensPerSecond = 0, ResponseTokens = 4 });

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    // The limit that is not under test is generous, and the one under test long enough for a fresh
    // connection's request to reach the simulator on a busy machine: the simulator must see it go.
    [Theory]
    [InlineData("llama3.2", "[[sim:ttft=60000]]", 3, 60, "ollama_timeout", "Ollama sent no token within 3 s.")]
    [InlineData("llama3.2", "[[sim:stall=1]]", 60, 0.5, "ollama_timeout", "The Ollama stream stalled: no token for 0.5 s.")]
    [InlineData(Upstream, "[[sim:ttft=60000]]", 3, 60, "upstream_timeout", $"The upstream server of '{Upstream}' sent no token within 3 s.")]
    [InlineData(Upstream, "[[sim:stall=1]]", 60, 0.5, "upstream_timeout", $"The upstream server of '{Upstream}' stalled: no token for 0.5 s.")]
    public async Task A_silent_backend_ends_with_its_timeout_code_and_its_connection_closed(
        string model, string directive, double firstTokenSeconds, double idleSeconds, string code, string message)
    {
        using var backends = Backends(new OllamaOptions { FirstTokenTimeout = TimeSpan.FromSeconds(firstTokenSeconds), IdleTimeout = TimeSpan.FromSeconds(idleSeconds) });
        var nonce = Guid.NewGuid().ToString("N");
        var call = backends.Find(model)!.GetStreamingResponseAsync($"quiet {nonce} {directive}", new ChatOptions { ModelId = model }).ToChatResponseAsync();

        var ex = await Assert.ThrowsAsync<BackendFailureException>(() => call.WaitAsync(Timeout + TimeSpan.FromSeconds(firstTokenSeconds)));
        Assert.Equal((code, message), (ex.Error.Code, ex.Error.Message));
        Assert.Equal(SimulatedOutcome.ClientDisconnected, (await _simulator.Journal.WaitForMessageAsync(nonce, Timeout)).Outcome);
    }

    [Theory]
    [InlineData("llama3.2")]
    [InlineData(Upstream)]
    public async Task Every_call_leaves_a_GenAI_span_under_the_callers_span(string model)
    {
        using var backends = Backends(new OllamaOptions());
        var spans = new ConcurrentQueue<Activity>();
        using var test = new ActivitySource("Router.Tests.Pipeline");
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is RouterActivitySources.Backend or "Router.Tests.Pipeline",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        using (var parent = test.StartActivity("request"))
        {
            Assert.NotNull(parent);
            var response = await backends.Find(model)!.GetResponseAsync("hello", new ChatOptions { ModelId = model }).WaitAsync(Timeout);
            Assert.Equal(SimulatedText.Text(4), response.Text);
        }

        var root = Assert.Single(spans, s => s.Source.Name == "Router.Tests.Pipeline");
        var chat = Assert.Single(spans, s => s.Source.Name == RouterActivitySources.Backend && s.ParentSpanId == root.SpanId);
        Assert.Equal(root.TraceId, chat.TraceId);
        Assert.Equal("chat", chat.GetTagItem("gen_ai.operation.name"));
        Assert.Equal(model, chat.GetTagItem("gen_ai.request.model"));
        Assert.Equal(4, Convert.ToInt32(chat.GetTagItem("gen_ai.usage.output_tokens")));
    }

    private ModelBackends Backends(OllamaOptions ollama)
    {
        ollama.BaseUrl = _simulator.BaseUrl;
        var upstreams = new UpstreamsOptions();
        upstreams.Models.Add(new UpstreamOptions { Name = Upstream, BaseUrl = _simulator.OpenAIBaseUrl, Model = "qwen2.5-coder" });
        return new ModelBackends(MsOptions.Create(ollama), MsOptions.Create(upstreams));
    }
}
