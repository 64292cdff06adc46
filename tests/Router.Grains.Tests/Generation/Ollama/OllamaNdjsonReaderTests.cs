using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Router.Grains.Generation.Ollama;
using Router.OllamaSimulator;
using OllamaChat = OllamaSharp.Models.Chat;

namespace Router.Grains.Tests.Generation.Ollama;

/// <summary>
/// <see cref="OllamaNdjsonReader"/> over real answers of the simulator (<c>/api/chat</c> over HTTP),
/// handed on in reads of a few bytes so that lines span reads, and over Ollama's raw UTF-8.
/// </summary>
public sealed class OllamaNdjsonReaderTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private OllamaSimulator.OllamaSimulator _simulator = null!;
    private HttpClient _http = null!;
    private OllamaChatApiClient _api = null!;

    public async Task InitializeAsync()
    {
        _simulator = await OllamaSimulator.OllamaSimulator.StartAsync(new SimulatorOptions { TimeToFirstTokenMs = 0, TokensPerSecond = 0, ResponseTokens = 4, Models = ["llama3.2", "qwen3"] });
        _http = new HttpClient { BaseAddress = _simulator.BaseUrl };
        _api = new OllamaChatApiClient(_http);
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        _http.Dispose();
        await _simulator.DisposeAsync();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task Lines_split_across_reads_come_out_whole_and_only_the_final_one_takes_the_slow_path(int readSize)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        using var response = await _api.SendChatAsync([], Chat("qwen3", "[[sim:tokens=120,thinking=9]] split", think: true), timeout.Token);
        var lines = await ReadAllAsync(new TrickleStream(await response.Content.ReadAsStreamAsync(timeout.Token), [readSize, readSize + 2]), timeout.Token);

        Assert.Equal(SimulatedText.Text(120), string.Concat(lines.Select(l => l.Text)));
        Assert.Equal(SimulatedText.Thinking(9), string.Concat(lines.Select(l => l.Thinking)));
        Assert.Equal(120 + 9 + 1, lines.Count);
        var final = Assert.Single(lines, l => l.Whole is not null).Final;
        Assert.Same(lines[^1].Whole, final);
        Assert.Equal("stop", final!.DoneReason);
        Assert.True(final.EvalCount > 0 && final.PromptEvalCount > 0, $"the final object's counts: prompt {final.PromptEvalCount}, output {final.EvalCount}");
    }

    [Fact]
    public async Task A_tool_call_line_is_read_whole_with_the_backends_id_and_arguments()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var tool = WeatherTool.Create();
        using var response = await _api.SendChatAsync([], Chat("qwen3", "weather please", think: true, tool), timeout.Token);
        var lines = await ReadAllAsync(new TrickleStream(await response.Content.ReadAsStreamAsync(timeout.Token), [5]), timeout.Token);

        var call = Assert.Single(lines.Where(l => l.Whole?.Message?.ToolCalls is not null).SelectMany(l => l.Whole!.Message.ToolCalls!));
        Assert.StartsWith("call_sim", call.Id, StringComparison.Ordinal);
        Assert.Equal("get_weather", call.Function!.Name);
        Assert.Equal("""{"city":"value"}""", JsonSerializer.Serialize(call.Function.Arguments));
        Assert.Equal(SimulatedText.Thinking(6), string.Concat(lines.Select(l => l.Thinking)));
        Assert.Equal("stop", lines[^1].Final?.DoneReason);
    }

    [Fact]
    public async Task A_body_cut_in_the_middle_of_a_line_is_an_unreadable_line_after_the_whole_ones()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        using var response = await _api.SendChatAsync([], Chat("llama3.2", "[[sim:tokens=10]] cut"), timeout.Token);
        var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
        var thirdLineEnds = IndexOfNth(body, (byte)'\n', 3);

        await using var reader = new OllamaNdjsonReader(new TrickleStream(new MemoryStream(body), [4], cutAfter: thirdLineEnds - 10), _api.IncomingJsonSerializerOptions);
        var texts = new List<string>();
        await Assert.ThrowsAnyAsync<JsonException>(async () =>
        {
            while (await reader.ReadAsync(timeout.Token)) texts.Add(reader.Current.Text ?? "");
        });
        Assert.Equal(SimulatedText.Tokens(2), texts);
    }

    [Fact]
    public async Task Multi_byte_characters_split_at_every_byte_are_read_whole()
    {
        // As Ollama writes them: UTF-8 unescaped (Go escapes only <, > and &).
        const string Text = "Grüße aus Zürich, 東京 und 🌍 — \"quoted\"\n";
        var body = Encoding.UTF8.GetBytes(
            """{"model":"llama3.2","created_at":"2026-12-07T10:00:00.000Z","message":{"role":"assistant","content":"Grüße aus Zürich, 東京 und 🌍 — \"quoted\"\n"},"done":false}""" + "\n" +
            """{"model":"llama3.2","created_at":"2026-12-07T10:00:00.100Z","message":{"role":"assistant","content":"","thinking":"ünd 🧠"},"done":false}""" + "\n" +
            """{"model":"llama3.2","created_at":"2026-12-07T10:00:00.200Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"length","total_duration":1,"load_duration":1,"prompt_eval_count":12,"prompt_eval_duration":1,"eval_count":2,"eval_duration":1}""" + "\n");

        await using var reader = new OllamaNdjsonReader(new TrickleStream(new MemoryStream(body), [1]), _api.IncomingJsonSerializerOptions);
        var lines = new List<OllamaLine>();
        while (await reader.ReadAsync(CancellationToken.None)) lines.Add(reader.Current);

        Assert.Equal(3, lines.Count);
        Assert.Equal((Text, (string?)null), (lines[0].Text, lines[0].Thinking));
        Assert.Equal("ünd 🧠", lines[1].Thinking);
        Assert.Equal(("length", 12, 2), (lines[2].Final?.DoneReason, lines[2].Final?.PromptEvalCount, lines[2].Final?.EvalCount));
    }

    [Fact]
    public async Task A_mid_stream_error_line_carries_the_backends_text_and_nothing_else()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        using var response = await _api.SendChatAsync([], Chat("llama3.2", "[[sim:fail=2]] fails"), timeout.Token);
        var lines = await ReadAllAsync(await response.Content.ReadAsStreamAsync(timeout.Token), timeout.Token);

        Assert.Equal(3, lines.Count);
        Assert.Equal(SimulatedText.Text(2), string.Concat(lines.Select(l => l.Text)));
        Assert.Equal(
            new OllamaLine(null, null, null, "an error was encountered while running the model: unexpected EOF"),
            lines[^1]);
    }

    internal static ChatOptions Chat(string model, string prompt, bool think = false, OllamaChat.Tool? tool = null) => new()
    {
        ModelId = model,
        RawRepresentationFactory = _ => new OllamaChat.ChatRequest
        {
            Model = model,
            Messages = [new OllamaChat.Message(OllamaChat.ChatRole.User, prompt)],
            Think = think,
            Tools = tool is null ? null : [tool],
        },
    };

    private async Task<List<OllamaLine>> ReadAllAsync(Stream body, CancellationToken cancellationToken)
    {
        await using var reader = new OllamaNdjsonReader(body, _api.IncomingJsonSerializerOptions);
        var lines = new List<OllamaLine>();
        while (await reader.ReadAsync(cancellationToken)) lines.Add(reader.Current);
        return lines;
    }

    private static int IndexOfNth(byte[] bytes, byte value, int n)
    {
        var at = -1;
        for (var i = 0; i < n; i++) at = Array.IndexOf(bytes, value, at + 1);
        return at;
    }
}
