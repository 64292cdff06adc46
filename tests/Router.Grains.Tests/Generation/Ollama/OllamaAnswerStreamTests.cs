using System.Threading.Channels;
using Microsoft.Extensions.AI;
using Router.Grains.Generation;
using Router.Grains.Generation.Mapping;
using Router.Grains.Interfaces;
using Router.Grains.Options;
using Router.OllamaSimulator;
using MsOptions = Microsoft.Extensions.Options.Options;
using OllamaChat = OllamaSharp.Models.Chat;

namespace Router.Grains.Tests.Generation.Ollama;

/// <summary>
/// The direct reading of a single Ollama server (<see cref="ModelBackends.DirectStream"/>) against the
/// model's chat client pipeline (<see cref="ModelBackends.Find(string)"/>), over real HTTP to the
/// simulator: the same pieces, counts and finish reason for the same answer, the same error code
/// and message for the same failure.
/// </summary>
public sealed class OllamaAnswerStreamTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly OllamaChat.Tool Weather = WeatherTool.Create();

    private OllamaSimulator.OllamaSimulator _simulator = null!;

    public async Task InitializeAsync() =>
        _simulator = await OllamaSimulator.OllamaSimulator.StartAsync(new SimulatorOptions { TimeToFirstTokenMs = 0, TokensPerSecond = 0, ResponseTokens = 8, Models = ["llama3.2", "qwen3", "llava"] });

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    [Theory]
    [InlineData("llama3.2", "plain", false, false)]
    [InlineData("qwen3", "[[sim:thinking=5]] thinks", true, false)]
    [InlineData("qwen3", "calls a tool", true, true)]
    [InlineData("llama3.2", "[[sim:usage=none]] no counts", false, false)]
    [InlineData("llama3.2", "[[sim:tokens=300]] long", false, false)]
    public async Task An_answer_gives_the_same_pieces_counts_and_finish_as_through_the_chat_client_pipeline(string model, string prompt, bool think, bool tools)
    {
        using var backends = Backends(new OllamaOptions());
        var options = Chat(model, prompt, think, tools);

        var (piped, pipedResult) = await ThroughPipelineAsync(backends, options);
        var (direct, directResult) = await DirectAsync(backends, options);

        Assert.NotEmpty(direct);
        Assert.Equal(piped.Select(Comparable), direct.Select(Comparable));
        Assert.Equal(
            (pipedResult.PromptTokens, pipedResult.OutputTokens, pipedResult.CachedInputTokens, pipedResult.FinishReason, pipedResult.ToolCalls),
            (directResult.PromptTokens, directResult.OutputTokens, directResult.CachedInputTokens, directResult.FinishReason, directResult.ToolCalls));
        Assert.Equal(tools, direct.Any(p => p.Kind == PartKind.ToolCall));
        Assert.Equal(think, direct.Any(p => p.Kind == PartKind.Reasoning));
    }

    // The limits short enough to run out, long enough for a fresh connection's request to reach the simulator.
    [Theory]
    [InlineData("llama3.2", "[[sim:cut=3]]", "ollama_stream_broken")]
    [InlineData("llama3.2", "[[sim:fail=2]]", "ollama_stream_broken")]
    [InlineData("llama3.2", "[[sim:status=503]]", "ollama_busy")]
    [InlineData("llama3.2", "[[sim:status=500]]", "ollama_error")]
    [InlineData("llava", "tools to a model without them", "backend_refused")]
    [InlineData("llama3.2", "[[sim:ttft=60000]]", "ollama_timeout")]
    [InlineData("llama3.2", "[[sim:stall=2]]", "ollama_timeout")]
    public async Task A_failure_gives_the_same_code_and_message_as_through_the_chat_client_pipeline(string model, string prompt, string? code)
    {
        using var backends = Backends(new OllamaOptions { FirstTokenTimeout = TimeSpan.FromSeconds(3), IdleTimeout = TimeSpan.FromSeconds(1) });
        var options = Chat(model, prompt, think: false, tools: model == "llava");

        var piped = await Assert.ThrowsAsync<BackendFailureException>(() => ThroughPipelineAsync(backends, options).WaitAsync(Timeout));
        var direct = await Assert.ThrowsAsync<BackendFailureException>(() => DirectAsync(backends, options).WaitAsync(Timeout));

        Assert.Equal((piped.Error.Code, piped.Error.Message), (direct.Error.Code, direct.Error.Message));
        if (code is not null) Assert.Equal(code, direct.Error.Code);
    }

    [Fact]
    public async Task A_cancelled_call_ends_at_once_and_closes_its_connection()
    {
        using var backends = Backends(new OllamaOptions());
        var nonce = Guid.NewGuid().ToString("N");
        using var cancel = new CancellationTokenSource();
        var pieces = Channel.CreateUnbounded<AnswerPiece>();
        var result = new GenerationResult();
        using var caps = new OutputCaps(new GenerationOptions(), cancel);
        var writer = new AnswerPieceWriter(Spec("llama3.2"), caps, pieces.Writer, result);
        var call = backends.DirectStream("llama3.2")!.ReadAsync([], Chat("llama3.2", $"[[sim:stall=2]] {nonce}", false, false), writer, cancel.Token);

        Assert.True(await pieces.Reader.WaitToReadAsync().AsTask().WaitAsync(Timeout), "no piece came before the stall");
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(Timeout));
        Assert.Equal(SimulatedOutcome.ClientDisconnected, (await _simulator.Journal.WaitForMessageAsync(nonce, Timeout)).Outcome);
    }

    [Fact]
    public async Task A_call_leaves_a_GenAI_span_with_the_answers_counts_and_finish()
    {
        using var backends = Backends(new OllamaOptions());
        var spans = new System.Collections.Concurrent.ConcurrentQueue<System.Diagnostics.Activity>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == Router.Grains.Diagnostics.RouterActivitySources.Backend,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        var (_, result) = await DirectAsync(backends, Chat("llama3.2", "[[sim:tokens=5]] span", false, false)).WaitAsync(Timeout);

        // This class's simulator is its own, and its tests run one at a time: the one span at its port is this call's.
        var span = Assert.Single(spans, s => s.DisplayName == "chat llama3.2" && Equals(s.GetTagItem("server.port"), _simulator.BaseUrl.Port));
        Assert.Equal(System.Diagnostics.ActivityKind.Client, span.Kind);
        Assert.Equal((int?)result.OutputTokens, span.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Equal("chat", span.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("llama3.2", span.GetTagItem("gen_ai.request.model"));
        Assert.Equal(["stop"], Assert.IsType<string[]>(span.GetTagItem("gen_ai.response.finish_reasons")));
        Assert.Equal((int?)result.PromptTokens, span.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(5, result.OutputTokens);
    }

    private static async Task<(List<AnswerPiece> Pieces, GenerationResult Result)> ThroughPipelineAsync(ModelBackends backends, ChatOptions options)
    {
        var pieces = new List<AnswerPiece>();
        var result = new GenerationResult();
        await foreach (var update in backends.Find(options.ModelId!)!.GetStreamingResponseAsync([], options)) AnswerPiece.Read(update, result, pieces.Add);
        return (pieces, result);
    }

    private static async Task<(List<AnswerPiece> Pieces, GenerationResult Result)> DirectAsync(ModelBackends backends, ChatOptions options)
    {
        var channel = Channel.CreateUnbounded<AnswerPiece>();
        var result = new GenerationResult();
        using var reading = new CancellationTokenSource();
        using var caps = new OutputCaps(new GenerationOptions(), reading);
        var direct = backends.DirectStream(options.ModelId!);
        Assert.NotNull(direct);
        await direct.ReadAsync([], options, new AnswerPieceWriter(Spec(options.ModelId!), caps, channel.Writer, result), reading.Token);
        channel.Writer.Complete();
        var pieces = new List<AnswerPiece>();
        await foreach (var piece in channel.Reader.ReadAllAsync()) pieces.Add(piece);
        return (pieces, result);
    }

    /// <summary>The simulator numbers its tool call ids by request (<c>call_sim7_0</c>): the two calls differ only there.</summary>
    private static AnswerPiece Comparable(AnswerPiece piece) => piece.ToolCall is { } call
        ? piece with { ToolCall = call with { Id = System.Text.RegularExpressions.Regex.Replace(call.Id ?? "", "^call_sim[0-9]+_", "call_sim_") } }
        : piece;

    private static CompletionJobSpec Spec(string model) =>
        new("direct", Guid.NewGuid(), "unused", model, null, [], System.Diagnostics.Stopwatch.GetTimestamp(), "direct/0");

    private static ChatOptions Chat(string model, string prompt, bool think, bool tools) => new()
    {
        ModelId = model,
        RawRepresentationFactory = _ => new OllamaChat.ChatRequest
        {
            Model = model,
            Messages = [new OllamaChat.Message(OllamaChat.ChatRole.User, prompt)],
            Think = think,
            Tools = tools ? [Weather] : null,
        },
    };

    private ModelBackends Backends(OllamaOptions ollama)
    {
        ollama.BaseUrl = _simulator.BaseUrl;
        ollama.Models = ["llama3.2", "qwen3", "llava"];
        return new ModelBackends(MsOptions.Create(ollama));
    }
}
